import { parseArgs } from 'node:util';
import { Caller, mintToken } from '../api/auth.js';
import { loadConfig } from '../infra/config.js';
import { loadSecrets } from '../infra/secrets.js';
import { loadReference } from '../infra/reference.js';

/** `npm run token -- --sub anna --agency irl --roles staff --offices ob-leipzig`: prints a development token. */
async function main() {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      agency: { type: 'string' },
      roles: { type: 'string', default: '' },
      offices: { type: 'string', default: '' },
      expires: { type: 'string', default: '8h' },
      name: { type: 'string' },
      email: { type: 'string' },
    },
  });
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const claims = Caller.safeParse({
    sub: values.sub,
    agency: values.agency,
    roles: list(values.roles),
    offices: list(values.offices),
    name: values.name,
    email: values.email,
  });
  if (!claims.success) {
    const problems = claims.error.issues.map((i) => `  --${String(i.path[0])}: ${i.message}`).join('\n');
    throw new Error(
      `usage: npm run token -- --sub anna --agency irl --roles staff[,manager] [--offices ob-leipzig] [--name 'Anna Berger'] [--email anna@…] [--expires 8h]\n${problems}`,
    );
  }
  const config = loadConfig();
  const agencies = loadReference(config.referenceDir).agencies.map((a) => a.id);
  if (!agencies.includes(claims.data.agency))
    throw new Error(`unknown agency "${claims.data.agency}"; known: ${agencies.join(', ')}`);
  const { jwtSecret } = loadSecrets({ dataDir: config.dataDir, jwtSecret: config.jwt.secret, agencies });
  console.log(await mintToken(jwtSecret, claims.data, values.expires));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
