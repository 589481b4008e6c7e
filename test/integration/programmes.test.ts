import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportScheduleId } from '../../contract/report-workflow.js';
import type { EnquirySubmission } from '../../domain/enquiry.js';
import { quarterlyPeriod } from '../../domain/report-period.js';
import { berlinDate, berlinInstant, calendarOf, isWorkingDay } from '../../domain/working-days.js';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher.js';
import { freePort } from '../../scripts/servers.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * The Regionalbudget Nordsachsen on the real servers: enquiries with their sources through the
 * signed webhook, figures per Mittelzentrum and measure that add up with the agency's own, a
 * source corrected by staff, the quarterly report started by its Temporal Schedule and mailed
 * once to the steering group — also when the worker is stopped while the mail server is away.
 */

const PROGRAMME = 'regionalbudget-nordsachsen';
const STEERING = 'steuerungsgruppe-regionalbudget@lra-nordsachsen.example';
const dir = mkdtempSync(path.join(tmpdir(), 'lotse-programme-'));
let h: Harness;
let smtpPort: number;
let catcher: MailCatcher | undefined;
let lra: string;
let wfgStaff: string;

const FITS = { areaM2Min: 10_000, areaM2Max: 400_000, zoning: ['GI' as const, 'GE' as const] };
/** A dozen enquiries as the README's recipes send them: one or more per Mittelzentrum, some from the campaign. */
const RECIPES: Partial<EnquirySubmission>[] = [
  { preferredLocations: ['14730310'], source: { channel: 'campaign_page', measure: 'RB-NOS-1' } },
  { preferredLocations: ['14730310'], source: { channel: 'campaign_page', measure: 'RB-NOS-1', area: 'torgau' } },
  { preferredLocations: ['14730070'], source: { channel: 'website' } },
  { preferredLocations: ['14730070'], source: { channel: 'fair', measure: 'RB-NOS-2' } },
  { preferredLocations: ['14730110'], source: { channel: 'referral' } },
  { preferredLocations: ['14730230'], source: { channel: 'campaign_page', measure: 'RB-NOS-1' } },
  { preferredLocations: ['14730270'] },
  { preferredLocations: ['14730270'], source: { channel: 'phone' } },
  { preferredLocations: ['14730'] },
  { preferredLocations: ['14713000'], source: { channel: 'campaign_page', measure: 'RB-NOS-1' } },
  { preferredLocations: ['14713000'] },
  { preferredLocations: ['14730110'], project: { jobs: 80, investmentEur: 12_000_000 } },
];
const ids: string[] = [];

beforeAll(async () => {
  smtpPort = await freePort();
  // No mail server yet: the report's mail waits until one answers.
  h = await startHarness({ smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
  lra = await h.token({ agency: 'lra-nordsachsen', roles: ['manager'] });
  wfgStaff = await h.token({ agency: 'wfg-nordsachsen' });
  for (const r of RECIPES) {
    const res = await h.post('wfg-nordsachsen', enquiry({ siteRequirements: FITS, ...r }));
    expect(res.status).toBe(202);
    ids.push((await res.json()).enquiryId);
  }
  // Two settle: one in Eilenburg with its own jobs, one in Torgau.
  for (const id of [ids[11]!, ids[0]!]) {
    await eventually(async () => {
      const res = await h.call(`/v1/enquiries/${id}/close`, { outcome: 'settled' }, wfgStaff);
      expect(res.status).toBe(200);
    });
  }
  await h.lotse.readModel!.caughtUp();
}, 180_000);

afterAll(async () => {
  await h?.close();
  await catcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const figures = async (token = lra) => {
  await h.lotse.readModel!.caughtUp();
  const res = await h.get(`/v1/programmes/${PROGRAMME}/figures`, token);
  expect(res.status).toBe(200);
  return res.json();
};

describe('the Regionalbudget’s figures', () => {
  it('shows each Mittelzentrum and measure 1, and adds up with the agency totals', async () => {
    const f = await figures();
    const area = (name: string) => f.areas.find((a: { name: string }) => a.name === name);
    expect(f.areas.map((a: { name: string }) => a.name)).toEqual([
      'Torgau',
      'Delitzsch',
      'Eilenburg',
      'Oschatz',
      'Schkeuditz',
      'übriger Landkreis',
      'außerhalb (durch Maßnahmen)',
    ]);
    expect([2, 2, 2, 1, 2, 1, 1]).toEqual(f.areas.map((a: { enquiries: number }) => a.enquiries));
    expect(area('Eilenburg').settled).toEqual({ enquiries: 1, jobs: 80, investmentEur: 12_000_000 });
    expect(area('Torgau').settled).toEqual({ enquiries: 1, jobs: 120, investmentEur: 30_000_000 });
    // The sample registry's sites in each Mittelzentrum: Schkeuditz has two.
    expect(area('Schkeuditz').sites).toEqual({ count: 2, availableM2: 272_000, takenM2: 0 });
    const rb1 = f.measures.find((m: { measure: string | null }) => m.measure === 'RB-NOS-1');
    expect(rb1).toMatchObject({ title: 'Ansiedlungskampagne', enquiries: 4 });
    const none = f.measures.find((m: { measure: string | null }) => m.measure === null);
    expect(none).toMatchObject({ title: 'ohne Zuordnung', enquiries: 6 });

    // Both tables add up to the same total, and that to what the agency's own figures say.
    const sum = (rows: { enquiries: number }[]) => rows.reduce((n, r) => n + r.enquiries, 0);
    expect(sum(f.areas)).toBe(f.total.enquiries);
    expect(sum(f.measures)).toBe(f.total.enquiries);
    const wfg = await (
      await h.get('/v1/stats', await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }))
    ).json();
    const inRegion = f.total.enquiries - area('außerhalb (durch Maßnahmen)').enquiries;
    expect(inRegion).toBe(wfg.byResponsibleAgency['wfg-nordsachsen']);
    expect(f.total.settled.jobs).toBe(wfg.settled.jobs);
    expect(f.total.settled.investmentEur).toBe(wfg.settled.investmentEur);
    expect(f.channels).toMatchObject({ campaign_page: 4, website: 1, fair: 1, referral: 1, phone: 1, none: 3 });
  });

  it('is for the programme’s parties only: another agency’s manager learns of none, staff are not managers', async () => {
    const irl = await h.token({ agency: 'irl', roles: ['manager'] });
    expect((await h.get(`/v1/programmes/${PROGRAMME}/figures`, irl)).status).toBe(404);
    expect((await (await h.get('/v1/programmes', irl)).json()).items).toEqual([]);
    expect((await h.get(`/v1/programmes/${PROGRAMME}/figures`, wfgStaff)).status).toBe(403);
    const mine = await (await h.get('/v1/programmes', lra)).json();
    expect(mine.items.map((p: { title: string }) => p.title)).toEqual(['Regionalbudget Nordsachsen']);
  });

  it('gives the same figures as a CSV file for spreadsheets', async () => {
    const res = await h.get(`/v1/programmes/${PROGRAMME}/figures.csv`, lra);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte order mark first: a spreadsheet then reads the umlauts as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^Tabelle;Zeile;Anfragen;/);
    expect(lines.filter((l) => l.startsWith('Maßnahme;RB-NOS-1 Ansiedlungskampagne;4;'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('Mittelzentrum;Eilenburg;2;'))).toHaveLength(1);
  });

  it('refuses unknown measure and area codes at the webhook: a problem, no enquiry started', async () => {
    const body = enquiry({ source: { channel: 'fair', measure: 'RB-NOS-99', area: 'torgua' } });
    const res = await h.post('wfg-nordsachsen', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await res.json();
    expect(problem.errors).toEqual([
      { path: 'source.measure', message: 'unknown measure "RB-NOS-99"' },
      { path: 'source.area', message: 'unknown area "torgua"' },
    ]);
    const again = await h.post('wfg-nordsachsen', { ...body, source: { channel: 'fair' } });
    expect(again.status).toBe(202);
    expect((await again.json()).status).toBe('received');
  });

  it('counts a source staff set or corrected; an enquiry without one counts as "ohne Zuordnung"', async () => {
    const before = await figures();
    const rb2 = (f: { measures: { measure: string | null; enquiries: number }[] }) =>
      f.measures.find((m) => m.measure === 'RB-NOS-2')!.enquiries;
    const res = await h.call(
      `/v1/enquiries/${ids[6]}/source`,
      { source: { channel: 'phone', measure: 'RB-NOS-2' } },
      wfgStaff,
    );
    expect(res.status).toBe(200);
    expect((await res.json()).enquiry.source).toEqual({ channel: 'phone', measure: 'RB-NOS-2' });
    await eventually(async () => expect(rb2(await figures())).toBe(rb2(before) + 1));
    const unknown = await h.call(`/v1/enquiries/${ids[6]}/source`, { source: { channel: 'x' } }, wfgStaff);
    expect(unknown.status).toBe(400);
    const stranger = await h.token({ agency: 'kks-osterzgebirge' });
    expect((await h.call(`/v1/enquiries/${ids[6]}/source`, { source: null }, stranger)).status).toBe(404);
  });
});

describe('the quarterly report', () => {
  it('is started by its schedule, built, and mailed once with PDF and spreadsheet, though the worker stopped', async () => {
    // The first working day of the next quarter: the report then covers this one, with this test's enquiries.
    const sachsen = calendarOf({ covers: ['14'] });
    let day = berlinDate(new Date());
    while (!quarterlyPeriod(day, (d) => isWorkingDay(d, sachsen))) day = nextDay(day);
    const period = quarterlyPeriod(day, (d) => isWorkingDay(d, sachsen))!;
    const at = berlinInstant(day, '06:00');
    const schedule = h.lotse.temporal.schedule.getHandle(reportScheduleId(PROGRAMME, h.config.temporal.taskQueue));
    const backfill = () =>
      schedule.backfill([
        { start: new Date(+at - 60_000), end: new Date(+at + 60_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      ]);
    await backfill();
    // Built and stored, while its mail waits for a server.
    const listed = await eventually(async () => {
      const { items } = await (await h.get(`/v1/programmes/${PROGRAMME}/reports`, lra)).json();
      expect(items.map((r: { reportId: string }) => r.reportId)).toContain(period.reportId);
      return items.find((r: { reportId: string }) => r.reportId === period.reportId);
    }, 60_000);
    expect(listed).toMatchObject({ title: period.title, trigger: 'schedule', mailed: null });

    await h.stopWorker();
    catcher = await startMailCatcher({ port: smtpPort, folder: path.join(dir, 'mails') });
    await h.restartWorker();
    const toSteering = () => catcher!.mails.filter((m) => m.to.includes(STEERING));
    const [mail] = await eventually(async () => {
      expect(toSteering()).toHaveLength(1);
      return toSteering();
    }, 90_000);
    // The schedule's run again for the same quarter: no second mail.
    await backfill();
    await eventually(async () => {
      const { items } = await (await h.get(`/v1/programmes/${PROGRAMME}/reports`, lra)).json();
      expect(items.find((r: { reportId: string }) => r.reportId === period.reportId).mailed).not.toBeNull();
    }, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(toSteering()).toHaveLength(1);

    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe(`Regionalbudget Nordsachsen: Monitoring-Bericht ${period.title}`);
    const pdf = parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
    const xlsx = parsed.attachments.find((a) => a.filename?.endsWith('.xlsx'))!;
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await extractText(new Uint8Array(pdf.content), { mergePages: true });
    for (const name of ['Torgau', 'Delitzsch', 'Eilenburg', 'Oschatz', 'Schkeuditz', 'Ansiedlungskampagne'])
      expect(text).toContain(name);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.content as unknown as ArrayBuffer);
    expect(book.worksheets.length).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('skips the other days of the quarter’s first week', async () => {
    const schedule = h.lotse.temporal.schedule.getHandle(reportScheduleId(PROGRAMME, h.config.temporal.taskQueue));
    const sachsen = calendarOf({ covers: ['14'] });
    let day = berlinDate(new Date());
    while (!quarterlyPeriod(day, (d) => isWorkingDay(d, sachsen))) day = nextDay(day);
    const later = nextDay(day);
    const at = berlinInstant(later, '06:00');
    await schedule.backfill([{ start: new Date(+at - 60_000), end: new Date(+at + 60_000) }]);
    // A schedule's run is named after the schedule's action and its time.
    const run = h.lotse.temporal.workflow.getHandle(`report-${PROGRAMME}-${at.toISOString().replace('.000Z', 'Z')}`);
    const result = await eventually(() => run.result(), 30_000);
    expect(result.skipped).toMatch(/not the first working day/);
  }, 120_000);

  it('is built on demand for any period and downloaded by the programme’s managers only', async () => {
    const today = berlinDate(new Date());
    const res = await h.call(
      `/v1/programmes/${PROGRAMME}/reports`,
      { from: `${today.slice(0, 4)}-01-01`, to: today },
      lra,
    );
    const answer = await res.json();
    expect(res.status, JSON.stringify(answer)).toBe(202);
    const { reportId } = answer;
    await eventually(async () => {
      const file = await h.get(`/v1/programmes/${PROGRAMME}/reports/${reportId}/pdf`, lra);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/pdf');
      const { text } = await extractText(new Uint8Array(await file.arrayBuffer()), { mergePages: true });
      expect(text).toContain('Torgau');
    }, 60_000);
    const irl = await h.token({ agency: 'irl', roles: ['manager'] });
    expect((await h.get(`/v1/programmes/${PROGRAMME}/reports/${reportId}/pdf`, irl)).status).toBe(404);
    const wrong = await h.call(`/v1/programmes/${PROGRAMME}/reports`, { from: today, to: '2020-01-01' }, lra);
    expect(wrong.status).toBe(400);
  }, 120_000);
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
