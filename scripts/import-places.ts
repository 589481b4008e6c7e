import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mergePlaces, parseGemeindenCsv, parseGv100ad } from '../domain/gv-isys.js';
import { PlacesFile } from '../domain/places.js';
import { SuccessionsFile } from '../domain/reference.js';
import { PLACES } from '../infra/reference.js';

/**
 * `npm run import:places -- <file>`: fills the reference folder's places.json from the
 * Gemeindeverzeichnis of the Federal Statistical Office (GV-ISys): the fixed-width GV100AD
 * file, or the table "Alle politisch selbständigen Gemeinden" saved as CSV. A running Lotse
 * picks the new file up within a second. Every line that cannot be read is reported and
 * nothing is written; keys the new file no longer has stay, ended the day before its
 * Gebietsstand (with their successor from ags-successions.json).
 */

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: process.env.LOTSE_REFERENCE_DIR ?? 'data' },
    'as-of': { type: 'string' },
  },
});
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error(
    'usage: npm run import:places -- <GV100AD_TTMMJJJJ.txt | Gemeinden.csv> [--dir data] [--as-of YYYY-MM-DD]',
  );
  process.exit(2);
}
if (values['as-of'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['as-of'])) {
  console.error(`--as-of must be a day (YYYY-MM-DD): ${values['as-of']}`);
  process.exit(2);
}

const bytes = readFileSync(file);
const text = decode(bytes);
const fixedWidth = /^\d{2}\d{8}/.test(text.replace(/^\uFEFF/, '').trimStart());
console.log(`${file}: ${fixedWidth ? 'GV100AD (fixed width)' : 'CSV'}, ${text.split('\n').length} lines`);
const imported = fixedWidth ? parseGv100ad(text) : parseGemeindenCsv(text);
if (values['as-of']) imported.asOf = values['as-of'];
if (imported.errors.length > 0) {
  for (const e of imported.errors.slice(0, 50)) console.error(`  line ${e.line}: ${e.message}`);
  if (imported.errors.length > 50) console.error(`  … and ${imported.errors.length - 50} more`);
  console.error(`${imported.errors.length} lines could not be read: nothing written`);
  process.exit(1);
}
const counts = { land: 0, kreis: 0, gemeinde: 0 };
for (const p of imported.places) counts[p.kind]++;
if (counts.gemeinde === 0) {
  console.error('no municipality (Satzart 60) found: nothing written');
  process.exit(1);
}

const target = path.join(values.dir, PLACES);
const before = existsSync(target) ? PlacesFile.parse(JSON.parse(readFileSync(target, 'utf8'))) : undefined;
const successionsFile = path.join(values.dir, 'ags-successions.json');
const successions = existsSync(successionsFile)
  ? SuccessionsFile.parse(JSON.parse(readFileSync(successionsFile, 'utf8')))
  : [];
const source = `Gemeindeverzeichnis (GV-ISys) of the Statistisches Bundesamt, ${path.basename(file)}`;
const merged = PlacesFile.parse(mergePlaces(before, imported, source, successions));
const lines = merged.places.map((p) => `    ${JSON.stringify(p)}`).join(',\n');
const json = `{\n  "source": ${JSON.stringify(merged.source)},${merged.asOf ? `\n  "asOf": "${merged.asOf}",` : ''}\n  "places": [\n${lines}\n  ]\n}\n`;
// Written whole, then renamed: a running Lotse never reads half a file.
writeFileSync(`${target}.tmp`, json);
renameSync(`${target}.tmp`, target);
const ended = merged.places.filter((p) => p.validTo).length;
console.log(
  `${target}: ${counts.land} Länder, ${counts.kreis} Kreise, ${counts.gemeinde} Gemeinden` +
    `${imported.asOf ? ` as of ${imported.asOf}` : ''}; ${ended} keys no longer valid kept with their end`,
);

/** UTF-8 where the bytes are; else Latin-1, as older files and spreadsheets save them. */
function decode(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('latin1').decode(b);
  }
}
