import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceNames } from '../../api/reference.js';
import { loadReference, ReferenceDataError, ReferenceStore } from '../../infra/reference.js';

const DATA = path.join(__dirname, '../../data');

/** A copy of the project's reference folder with one file edited. */
function folderWith(file: string, edit: (json: any) => unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-ref-'));
  cpSync(DATA, dir, { recursive: true });
  const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  writeFileSync(path.join(dir, file), JSON.stringify(edit(json)) ?? '');
  return dir;
}

function messageOf(dir: string): string {
  try {
    loadReference(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ReferenceDataError);
    return (err as Error).message;
  }
  throw new Error('expected the folder to be refused');
}

describe('reference data', () => {
  it('loads the project data: nine agencies, four agreements, three offices, five areas, at least 25 sites', () => {
    const ref = loadReference(DATA);
    expect(ref.agencies.map((a) => a.id).sort()).toEqual([
      'gtai',
      'img',
      'irl',
      'kks-osterzgebirge',
      'leg',
      'lra-nordsachsen',
      'wf-burgenlandkreis',
      'wfg-nordsachsen',
      'wfs',
    ]);
    expect(ref.agreements).toHaveLength(4);
    expect(ref.areas.map((a) => a.name)).toEqual(['Torgau', 'Delitzsch', 'Eilenburg', 'Oschatz', 'Schkeuditz']);
    expect(ref.measures.map((m) => m.code)).toEqual(['RB-NOS-1', 'RB-NOS-2']);
    expect(ref.agreements.flatMap((a) => a.jointHandling?.offices.map((o) => o.id) ?? []).sort()).toEqual([
      'landrat-lk-leipzig',
      'landrat-nordsachsen',
      'ob-leipzig',
    ]);
    expect(ref.sites.length).toBeGreaterThanOrEqual(25);
    const large = ref.sites.filter((s) => s.zoning === 'GI' && s.railAccess && s.areaM2 >= 100_000);
    expect(new Set(large.map((s) => s.ags.slice(0, 2)))).toEqual(new Set(['14', '15', '16']));
    expect(large.some((s) => s.agency === 'wfg-nordsachsen')).toBe(true);
    expect(
      ref.sites.filter((s) => s.ags.startsWith('14713')).every((s) => s.areaM2 <= 15_000 && s.zoning !== 'GI'),
    ).toBe(true);
  });

  it('refuses a programme that names an unknown area or measure, and a measure of an unknown agency', () => {
    const agreements = folderWith('agreements.json', (a) => ((a[3].monitoring.areas[1] = 'delizsch'), a));
    expect(messageOf(agreements)).toMatch(
      /agreements\.json: entry 3, field monitoring\.areas\[1\]: unknown area "delizsch"/,
    );
    const measures = folderWith('measures.json', (m) => ((m[0].owner = 'lra'), m));
    expect(messageOf(measures)).toMatch(/measures\.json: entry 0, field owner: unknown agency "lra"/);
    const areas = folderWith('areas.json', (f) => ((f.areas[0].municipalities = ['14730010']), f));
    expect(messageOf(areas)).toMatch(/areas\.json: .*municipalities: must include the centre/);
  });

  it('names file, entry and field of a broken value', () => {
    const dir = folderWith('agencies.json', (a) => ((a[4].covers[0] = '1471X'), a));
    expect(messageOf(dir)).toMatch(
      /agencies\.json: entry 4, field covers\[0\]: must be an AGS prefix .*\(entry "irl"\)/,
    );
  });

  it('names an unknown field', () => {
    const dir = folderWith('sites.json', (s) => ((s[2].colour = 'blue'), s));
    expect(messageOf(dir)).toMatch(/sites\.json: entry 2: .*colour/);
  });

  it('names a party that is no agency', () => {
    const dir = folderWith('agreements.json', (a) => ((a[0].parties[1] = 'wfg-nordsahsen'), a));
    expect(messageOf(dir)).toContain('agreements.json: entry 0, field parties[1]: unknown agency "wfg-nordsahsen"');
  });

  it('names a file that is not JSON', () => {
    const dir = folderWith('agreements.json', () => undefined);
    writeFileSync(path.join(dir, 'agreements.json'), '[{');
    expect(messageOf(dir)).toMatch(/agreements\.json: .*not valid JSON/);
  });

  it('picks up an operator edit without a restart and keeps the last good data on a broken one', () => {
    const dir = folderWith('agencies.json', (a) => a);
    const errors: string[] = [];
    const store = new ReferenceStore(dir, (e) => errors.push(e.message), 0);
    expect(store.get().agencies).toHaveLength(9);
    const agencies = JSON.parse(readFileSync(path.join(dir, 'agencies.json'), 'utf8'));
    agencies.push({
      id: 'wf-leipzig',
      shortName: 'WF Leipzig',
      name: 'Amt für Wirtschaftsförderung Leipzig',
      level: 'municipal',
      covers: ['14713000'],
    });
    writeFileSync(path.join(dir, 'agencies.json'), JSON.stringify(agencies));
    expect(store.get().agencies).toHaveLength(10);
    writeFileSync(path.join(dir, 'agencies.json'), '[');
    expect(store.get().agencies).toHaveLength(10);
    expect(errors[0]).toMatch(/agencies\.json/);
  });
});

describe('the names the web app shows (GET /v1/reference)', () => {
  it('gives every agency its short and full name, every office once, and nothing else', () => {
    const ref = loadReference(DATA);
    // An office named twice by an operator is still one office.
    const names = referenceNames(ref.agencies, [...ref.agreements, ...ref.agreements], ref.areas, ref.measures);
    expect(names.agencies).toHaveLength(9);
    expect(names.agencies.find((a) => a.id === 'wfg-nordsachsen')).toEqual({
      id: 'wfg-nordsachsen',
      shortName: 'WFG Nordsachsen',
      name: 'WFG Wirtschaftsförderungsgesellschaft mbH des Landkreises Nordsachsen',
    });
    // No mail addresses, webhooks or areas: those stay with operators.
    for (const a of names.agencies) expect(Object.keys(a).sort()).toEqual(['id', 'name', 'shortName']);
    expect(names.offices.map((o) => o.id).sort()).toEqual(['landrat-lk-leipzig', 'landrat-nordsachsen', 'ob-leipzig']);
    expect(names.offices.find((o) => o.id === 'ob-leipzig')).toEqual({
      id: 'ob-leipzig',
      title: 'Oberbürgermeister der Stadt Leipzig',
      agency: 'irl',
    });
    // Areas by name only (not their municipalities), measures by code, title and programme.
    expect(names.areas[0]).toEqual({ id: 'torgau', name: 'Torgau' });
    expect(names.measures[0]).toEqual({
      code: 'RB-NOS-1',
      title: 'Ansiedlungskampagne',
      programme: 'Regionalbudget Nordsachsen',
    });
  });

  it('refuses an agency without a short name, naming the entry', () => {
    const dir = folderWith('agencies.json', (a) => (delete a[4].shortName, a));
    expect(messageOf(dir)).toMatch(/agencies\.json: entry 4, field shortName/);
  });
});

describe('NATS users of docker-compose', () => {
  it('scripts/compose/nats-auth.conf matches data/agencies.json (run npm run nats:config after adding an agency)', async () => {
    const { composeAuthConfig, COMPOSE_AUTH_FILE } = await import('../../scripts/nats-config.js');
    expect(readFileSync(COMPOSE_AUTH_FILE, 'utf8')).toBe(composeAuthConfig());
    expect(composeAuthConfig()).toContain('"subscribe":{"allow":["leads.irl","_INBOX_irl.>"]}');
  });
});

describe('docker-compose.yml, the cluster profile in containers', () => {
  const compose = readFileSync(path.join(__dirname, '../../docker-compose.yml'), 'utf8');

  it('registers every search attribute the workflows set', async () => {
    const { ALL_SEARCH_ATTRIBUTES } = await import('../../contract/search-attributes.js');
    const type = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', DATETIME: 'Datetime', BOOL: 'Bool' } as const;
    for (const k of ALL_SEARCH_ATTRIBUTES) expect(compose).toContain(`${k.name}=${type[k.type as keyof typeof type]}`);
  });

  it('runs the versions the cluster profile was proven with, NATS as three nodes with 3 replicas', async () => {
    const { TEMPORAL_SERVER, NATS_SERVER } = await import('../../scripts/tools.js');
    const temporal = /@v(\d+\.\d+\.\d+)$/.exec(TEMPORAL_SERVER.module)![1];
    const nats = /@v(\d+\.\d+\.\d+)$/.exec(NATS_SERVER.module)![1];
    expect(compose).toContain(`image: temporalio/server:${temporal}`);
    expect(compose).toContain(`image: temporalio/admin-tools:${temporal}`);
    expect(compose).toContain(`image: nats:${nats}-alpine`);
    expect(compose).toContain('image: postgres:15-bookworm');
    expect(compose).toContain('NATS_URL: nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222');
    expect(compose).toContain('LOTSE_NATS_REPLICAS: "3"');
  });
});
