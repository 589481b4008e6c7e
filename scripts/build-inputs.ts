import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * What a build was made from, so that `npm start` builds again only what changed: a
 * digest of its input files (paths and contents) kept in a file beside the output. The
 * package lock counts for every build (the packages it bundles or calls).
 */

export const ROOT = path.join(__dirname, '..');

/** The repository's files a TypeScript entry point imports, as esbuild resolves them (packages left out). */
export async function sourcesOf(entryPoints: string[]): Promise<string[]> {
  const { metafile } = await build({
    entryPoints,
    absWorkingDir: ROOT,
    bundle: true,
    packages: 'external',
    platform: 'node',
    write: false,
    outdir: path.join(ROOT, 'dist/unwritten'),
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs).map((f) => path.resolve(ROOT, f));
}

/** Every file under a folder, but those `skip` names (relative to the folder, with forward slashes). */
export function filesUnder(dir: string, skip: (relative: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (skip(path.relative(dir, file).split(path.sep).join('/'))) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) files.push(file);
    }
  };
  walk(dir);
  return files;
}

/** A digest of the files (by their path in the repository and their contents) and of any further text. */
export function digestOf(files: string[], text: string[] = []): string {
  const hash = createHash('sha256');
  const all = [...new Set([...files, path.join(ROOT, 'package-lock.json')].map((f) => path.resolve(f)))].sort();
  for (const file of all) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : 'missing');
    hash.update('\0');
  }
  for (const t of text) hash.update(`${t}\0`);
  return hash.digest('hex');
}

/** The digest a build's outputs were made from, kept in a file beside them. */
export class Stamp {
  constructor(readonly file: string) {}

  /** True when the outputs exist and were built from inputs with this digest. */
  current(digest: string, outputs: string[]): boolean {
    return outputs.every((o) => existsSync(o)) && existsSync(this.file) && readFileSync(this.file, 'utf8') === digest;
  }

  /** Builds unless the outputs are current; answers whether it built. A build cut short leaves no stamp. */
  async refresh(digest: string, outputs: string[], build: () => Promise<unknown>): Promise<boolean> {
    if (this.current(digest, outputs)) return false;
    rmSync(this.file, { force: true });
    await build();
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, digest);
    return true;
  }
}
