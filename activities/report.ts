import { ApplicationFailure } from '@temporalio/activity';
import type { ProgrammeFigures, ReportMeta } from '../domain/programme-figures.js';
import { programmeSetup } from '../domain/programme-setup.js';
import { periodOf, quarterlyPeriod, type ReportPeriod } from '../domain/report-period.js';
import { berlinMidnight, nextDay } from '../domain/stats.js';
import { berlinDate, calendarOf, isWorkingDay } from '../domain/working-days.js';
import type { Logger } from '../infra/logger.js';
import { sendOnce, type Sending } from '../infra/mail-once.js';
import { programmeFigures } from '../infra/read-model/programme-figures.js';
import type { ReadDb } from '../infra/read-model/tables.js';
import type { ReferenceStore } from '../infra/reference.js';
import { renderReport } from '../infra/report/index.js';
import type { ReportStore } from '../infra/report-store.js';

/**
 * A programme's report as activities: which quarter, build and store it, mail it once. Each
 * may run again (a retry, a killed worker): building writes the same report over itself,
 * mailing finds its record of the mail sent (infra/mail-once.ts).
 */

export interface ReportDeps {
  reference: ReferenceStore;
  /** The read model's store, opened at first use (it throws where the worker has no LOTSE_READ_MODEL_URL). */
  readDb?: () => Promise<ReadDb>;
  reports?: ReportStore;
  /** The SMTP server and the record of sent mails; none without LOTSE_SMTP_URL. */
  mail?: Omit<Sending, 'log'>;
  logger: Logger;
}

const KINDS = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

export function createReportActivities(deps: ReportDeps) {
  const setupOf = (programme: string) => {
    const setup = programmeSetup(deps.reference.get(), programme);
    if (!setup) throw ApplicationFailure.nonRetryable(`There is no programme "${programme}" in the reference data.`);
    return setup;
  };
  const store = async () => {
    if (!deps.reports || !deps.readDb) throw new Error('This worker keeps no reports (no report store). Retrying.');
    return { reports: deps.reports, db: await deps.readDb() };
  };
  return {
    /** The quarter to report on the first working day of the next (the region's Land's calendar); else null. */
    async reportPeriod(input: { programme: string; at: string }): Promise<ReportPeriod | null> {
      const { terms } = setupOf(input.programme);
      const calendar = calendarOf({ covers: [terms.region] });
      return quarterlyPeriod(berlinDate(new Date(input.at)), (day) => isWorkingDay(day, calendar));
    },

    /** Counts the period's figures, renders the PDF and the spreadsheet, stores them (again, on a retry). */
    async buildReport(input: {
      programme: string;
      period: ReportPeriod;
      trigger: ReportMeta['trigger'];
      by: string | null;
    }): Promise<ReportMeta> {
      const setup = setupOf(input.programme);
      const { reports, db } = await store();
      const { from, to, title, reportId } = periodOf(input.period.from, input.period.to);
      const builtAt = new Date().toISOString();
      const counted = await programmeFigures(db, setup, berlinMidnight(from), berlinMidnight(nextDay(to)));
      const figures: ProgrammeFigures = { ...counted, asOf: builtAt };
      const agencyNames = Object.fromEntries(deps.reference.get().agencies.map((a) => [a.id, a.shortName]));
      const files = await renderReport({
        figures,
        title,
        from,
        to,
        builtAt,
        steeringGroup: setup.terms.steeringGroup.name,
        agencyNames,
      });
      const base = `bericht-${input.programme}-${reportId}`;
      const meta: ReportMeta = {
        reportId,
        programme: input.programme,
        title,
        from,
        to,
        builtAt,
        trigger: input.trigger,
        files: (['pdf', 'xlsx'] as const).map((kind) => ({ kind, name: `${base}.${kind}`, bytes: files[kind].length })),
        mailed: (await reports.meta(input.programme, reportId))?.mailed ?? null,
      };
      await reports.put(meta, files);
      deps.logger.info({ programme: input.programme, reportId, trigger: input.trigger }, 'report built');
      return meta;
    },

    /** Mails the stored report to the steering group, once per report, whatever repeats it. */
    async mailReport(input: { programme: string; reportId: string }): Promise<ReportMeta> {
      const { terms } = setupOf(input.programme);
      const reports = deps.reports;
      if (!reports) throw new Error('This worker keeps no reports (no report store). Retrying.');
      const meta = await reports.meta(input.programme, input.reportId);
      if (!meta) throw new Error(`report ${input.programme}/${input.reportId} is not stored yet`);
      if (!deps.mail) throw new Error('The report cannot be mailed: give the worker LOTSE_SMTP_URL. Retrying.');
      const attachments = await Promise.all(
        meta.files.map(async (f) => {
          const content = await reports.file(input.programme, input.reportId, f.kind);
          if (!content) throw new Error(`report file ${f.name} is missing`);
          return { filename: f.name, content, contentType: KINDS[f.kind] };
        }),
      );
      const mail = {
        to: terms.steeringGroup.email,
        subject: `${terms.programme}: Monitoring-Bericht ${meta.title}`,
        text: mailText(terms.programme, meta),
        key: `report:${input.programme}:${input.reportId}:${terms.steeringGroup.email}`,
        attachments,
      };
      if (!(await sendOnce(mail, { ...deps.mail, log: deps.logger })))
        throw new Error('SMTP server unavailable: the report is mailed when it is back');
      const mailed = meta.mailed ?? { to: terms.steeringGroup.name, at: new Date().toISOString() };
      const done = { ...meta, mailed };
      await reports.describe(done);
      return done;
    },
  };
}

function mailText(programme: string, meta: ReportMeta): string {
  return [
    'Guten Tag,',
    '',
    `anbei der Monitoring-Bericht „${programme}“ für ${meta.title}: Anfragen, vorgeschlagene Flächen, Leads und`,
    'Ansiedlungen je Mittelzentrum und je Maßnahme, als PDF zum Lesen und als Tabelle zum Weiterrechnen.',
    '',
    'Der Bericht liegt auch in Lotse unter Kennzahlen → Berichte.',
    '',
    'Diese Nachricht wurde von Lotse automatisch erstellt.',
  ].join('\n');
}
