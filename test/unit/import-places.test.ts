import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlacesFile } from '../../domain/places.js';

/** `npm run import:places`: the script as an operator runs it, on a folder of its own. */

const record = (kind: string, key: string, name: string, mark = '') =>
  `${kind}20251231${key.padEnd(12)}${name.padEnd(50)}${''.padEnd(50)}${mark.padEnd(2)}`;

function run(file: string, dir: string) {
  try {
    return {
      code: 0,
      out: execFileSync('npx', ['tsx', 'scripts/import-places.ts', file, '--dir', dir], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { code: e.status, out: e.stderr };
  }
}

describe('npm run import:places', () => {
  it('writes the places of a GV100AD file (Latin-1 too), and nothing when a line is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lotse-places-'));
    copyFileSync('data/ags-successions.json', path.join(dir, 'ags-successions.json'));
    const lines = [
      record('10', '14', 'Sachsen'),
      record('40', '14730', 'Nordsachsen', '44'),
      record('60', '147303100310', 'Torgau, Stadt'),
    ];
    const broken = path.join(dir, 'broken.txt');
    writeFileSync(broken, [...lines, 'kaputt'].join('\r\n'));
    const refused = run(broken, dir);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('line 4: not a GV100AD record');
    expect(refused.out).toContain('nothing written');

    const good = path.join(dir, 'GV100AD_31122025.txt');
    writeFileSync(
      good,
      Buffer.from([...lines, record('60', '146280600060', 'Dippoldiswalde, Stadt')].join('\r\n'), 'latin1'),
    );
    const done = run(good, dir);
    expect(done.code).toBe(0);
    expect(done.out).toContain('1 Länder, 1 Kreise, 2 Gemeinden as of 2025-12-31');
    const written = PlacesFile.parse(JSON.parse(readFileSync(path.join(dir, 'places.json'), 'utf8')));
    expect(written.asOf).toBe('2025-12-31');
    expect(written.places.map((p) => p.name)).toContain('Dippoldiswalde, Stadt');
  }, 60_000);
});
