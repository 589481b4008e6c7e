import { condition, log } from '@temporalio/workflow';
import type { CareTermsNow, FirmCareInput } from '../contract/firm-workflow.js';
import { placesOf, readersOf } from '../domain/care-rules.js';
import { startCare, type CareState } from '../domain/care-state.js';
import { firmEvent, type FirmEventType, type FirmSummary } from '../domain/firm-events.js';
import type { CloudEvent } from '../domain/events.js';
import type { FirmRecord } from '../domain/firms.js';
import { publishFirmEvents } from './activities.js';

/**
 * A firm's care as its workflow keeps it: the firm's facts, where its care stands, and the
 * outbox of its events. Each step is an event whose number counts on across runs (a run that
 * continued as new starts where the last left off), so a repeated publish keeps its id. Every
 * event carries the summary the read model keeps; the steps themselves live there (the firm's
 * timeline), not in the workflow, whose state stays small however many years it runs.
 */
export class FirmCare {
  firm: FirmRecord;
  care: CareState;
  terms: CareTermsNow;
  private steps: number;
  private pending: CloudEvent[] = [];
  private sending = false;

  constructor(input: FirmCareInput) {
    this.firm = input.firm;
    this.terms = { coCarers: input.coCarers, visitEveryMonths: input.visitEveryMonths };
    this.care = input.carried?.care ?? startCare(input.firm, input.enteredOn, input.visitEveryMonths);
    this.steps = input.carried?.steps ?? 0;
    void this.publisher();
  }

  get carers() {
    return { agency: this.firm.agency, coCarers: this.terms.coCarers };
  }

  get readers() {
    return readersOf(this.carers, this.care);
  }

  get stepsSoFar() {
    return this.steps;
  }

  /** Queues the step's event; its summary is filled in as it goes out (the newest state then). */
  record(type: FirmEventType, actor: string, agency: string, detail: Record<string, unknown>): number {
    const step = ++this.steps;
    log.info('firm step', { firmId: this.firm.firmId, type });
    const data = { actor, ...detail };
    this.pending.push(firmEvent({ firmId: this.firm.firmId, step, type, agency, time: new Date(), data }));
    return step;
  }

  summary(): FirmSummary {
    const { firm, care } = this;
    return {
      firmId: firm.firmId,
      agency: firm.agency,
      name: firm.name,
      sector: firm.sector,
      places: placesOf(firm),
      employees: firm.employees,
      careLevel: care.careLevel,
      carer: firm.carer ?? null,
      coCarers: this.terms.coCarers,
      readers: this.readers,
      lastVisitOn: care.lastVisitOn,
      nextVisitDue: care.nextVisitDue,
      visitDue: care.dueAnnounced && care.plannedVisits.length === 0,
      visitsRecorded: care.visitsRecorded,
      plannedVisits: care.plannedVisits,
      openConcerns: care.openConcerns.map(({ concernId, topic, handledBy, due, overdue }) => ({
        concernId,
        topic,
        handledBy,
        due,
        overdue,
      })),
      asOf: this.steps,
    };
  }

  /** Sends what waits, batch after batch; the activity retries until it succeeds. */
  private async publisher() {
    for (;;) {
      await condition(() => this.pending.length > 0 && !this.sending);
      const summary = this.summary();
      const batch = this.pending.splice(0).map((e) => ({ ...e, data: { ...e.data, summary } }));
      this.sending = true;
      void publishFirmEvents(batch).then(() => (this.sending = false));
    }
  }

  /** Every event recorded so far is on NATS. */
  async published(): Promise<void> {
    await condition(() => this.pending.length === 0 && !this.sending);
  }
}
