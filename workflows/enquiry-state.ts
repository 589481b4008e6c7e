import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, log, upsertSearchAttributes } from '@temporalio/workflow';
import type { EnquiryState, EnquiryStatus, TimelineEntry } from '../domain/enquiry.js';
import { agenciesInvolved, jointPartners } from '../domain/parties.js';
import { enquiryEvent, isEventType, type CloudEvent, type EventType } from '../domain/events.js';
import type { EnquiryInput } from './definitions.js';
import { publishEvent, publishEvents } from './activities.js';
import { given } from './invariants.js';
import * as sa from './search-attributes.js';

/** Timeline entries that are no event of the contract: they stay in the audit trail only. */
export type TimelineOnly = 'consent_recorded' | 'no_partner_candidates' | 'no_partner_left' | 'lead_webhook_failed';

/** The enquiry's state and audit timeline, kept together so that every step lands in both. */
export class Enquiry {
  readonly state: EnquiryState;
  readonly timeline: TimelineEntry[] = [];
  /**
   * Enquiries started before tasks and joint handling existed never upserted these
   * search attributes: they keep not doing so, so that their histories replay.
   */
  tasksVisible = false;
  /**
   * The decision-answers patch is in effect: events publish in order in the background,
   * so a decision takes effect in the same workflow task and answers with the state after
   * it. Enquiries from before publish each event before the next step, as they did.
   */
  decisionAnswers = false;
  private outbox: Promise<unknown> = Promise.resolve();
  /** Since one-assessment: events wait here for the publisher (see batchEvents). */
  private batching = false;
  private held = false;
  private pending: CloudEvent[] = [];
  private sending = false;
  private attributes = new Map<string, SearchAttributeUpdatePair>();

  constructor(private readonly input: EnquiryInput) {
    this.state = {
      enquiryId: input.enquiryId,
      status: 'received',
      kind: input.submission.kind,
      receivedBy: input.receivedBy,
      receivedAt: input.receivedAt,
      responsibleAgency: null,
      jurisdiction: null,
      handlingAgencies: [],
      matchedSites: [],
      unmatchedSites: [],
      forwarding: null,
      jointHandling: null,
      deadlines: [],
      outcome: null,
      enquiry: { ...input.submission },
    };
  }

  get responsible(): string {
    return this.state.responsibleAgency ?? this.input.receivedBy;
  }

  /**
   * Adds the step to the timeline and, for the contract's event types, publishes it
   * with an id fixed by its position. Returns the step number (at once since one-assessment:
   * every promise a workflow makes costs the worker a stack trace, README "Capacity").
   */
  record(type: EventType | TimelineOnly, actor: string, agency: string, detail: Record<string, unknown>) {
    if (!this.batching) return this.recordOneByOne(type, actor, agency, detail);
    const { step, event } = this.note(type, actor, agency, detail);
    if (event) this.pending.push(event);
    return step;
  }

  /** Before one-assessment: each event an activity of its own, as those enquiries replay. */
  private async recordOneByOne(
    type: EventType | TimelineOnly,
    actor: string,
    agency: string,
    detail: Record<string, unknown>,
  ): Promise<number> {
    const { step, event } = this.note(type, actor, agency, detail);
    if (event) {
      if (!this.decisionAnswers) await publishEvent(event);
      else this.outbox = this.outbox.then(() => publishEvent(event));
    }
    return step;
  }

  /** The step on the timeline, and the event that announces it (for the contract's event types). */
  private note(type: EventType | TimelineOnly, actor: string, agency: string, detail: Record<string, unknown>) {
    const at = new Date();
    const step = this.timeline.length + 1;
    this.timeline.push({ at: at.toISOString(), type, actor, detail });
    log.info('enquiry step', { enquiryId: this.input.enquiryId, type, status: this.state.status });
    if (!isEventType(type)) return { step, event: null };
    const data = { status: this.state.status, actor, ...detail };
    return { step, event: enquiryEvent({ enquiryId: this.input.enquiryId, step, type, agency, time: at, data }) };
  }

  /**
   * From now on events go out in batches, in order, one activity per batch: the events a
   * workflow task records (a decision and its consequences, the intake's first steps) are
   * published together once the workflow waits again, because conditions are looked at
   * only after everything else in the task has run. Held until releaseEvents(). The
   * search attributes a workflow task changes are upserted once at its end, likewise.
   */
  batchEvents() {
    this.batching = true;
    this.held = true;
    void this.flusher();
  }

  releaseEvents() {
    this.held = false;
  }

  /** The next batch may go: events wait, none are held, the batch before is out. */
  private get batchDue() {
    return this.pending.length > 0 && !this.held && !this.sending;
  }

  private async flusher() {
    for (;;) {
      await condition(() => this.attributes.size > 0 || this.batchDue);
      if (this.attributes.size > 0) {
        upsertSearchAttributes([...this.attributes.values()]);
        this.attributes.clear();
      }
      if (this.batchDue) {
        this.sending = true;
        void publishEvents(this.pending.splice(0)).then(() => (this.sending = false));
      }
    }
  }

  /** What visibility queries (lists, tasks) find the enquiry by. */
  private upsert(pairs: SearchAttributeUpdatePair[]) {
    if (!this.batching) return upsertSearchAttributes(pairs);
    for (const pair of pairs) this.attributes.set(pair.key.name, pair);
  }

  /** Every event recorded so far is on NATS. */
  async published(): Promise<void> {
    if (this.batching) await condition(() => this.pending.length === 0 && !this.sending);
    else await this.outbox;
  }

  assignResponsibility(agency: string, jurisdiction: NonNullable<EnquiryState['jurisdiction']>) {
    this.state.responsibleAgency = agency;
    this.state.jurisdiction = jurisdiction;
    this.state.handlingAgencies = [agency];
    this.upsert([
      { key: sa.ResponsibleAgency, value: agency },
      { key: sa.Agencies, value: agenciesInvolved(this.state) },
    ]);
  }

  /** Who recorded the investor's consent to share, once they did. */
  consentBy: string | null = null;

  /** Who closed the enquiry, for the `closed` event the main flow publishes. */
  closedBy: { actor: string; agency: string; note?: string } | null = null;

  /** A handling agency's staff closed it: no deadline is open any more. */
  close(outcome: NonNullable<EnquiryState['outcome']>, actor: string, agency: string, note?: string) {
    this.state.outcome = outcome;
    this.closedBy = { actor, agency, ...(note ? { note } : {}) };
    this.setDeadlines([]);
    this.setStatus('closed');
  }

  /** Project figures (no personal data) and who handled it, for the statistics. */
  async recordClosed() {
    const { actor, agency, note } = given(this.closedBy, 'the process records the close once it is closed');
    await this.record('closed', actor, agency, {
      outcome: this.state.outcome,
      ...(note ? { note } : {}),
      handlingAgencies: this.state.handlingAgencies,
      jobs: this.state.enquiry.project.jobs,
      investmentEur: this.state.enquiry.project.investmentEur,
    });
  }

  /** Called once the version is known (see tasksVisible). */
  showTasks() {
    this.tasksVisible = true;
    this.syncAgencies();
  }

  handBy(agencies: string[]) {
    this.state.handlingAgencies = agencies;
    this.syncAgencies();
  }

  /** Agencies that may see the enquiry, and partners the lead went to, for visibility queries. */
  syncAgencies() {
    const involved = agenciesInvolved(this.state);
    const handling = this.tasksVisible ? this.state.handlingAgencies.map(sa.handlingTag) : [];
    const offered = this.state.forwarding?.offers.map((o) => o.partner) ?? [];
    const joint = jointPartners(this.state);
    this.upsert([
      { key: sa.Agencies, value: [...involved, ...handling] },
      { key: sa.LeadPartners, value: [...new Set([...offered, ...joint])] },
    ]);
  }

  markSignificant() {
    if (this.tasksVisible) this.upsert([{ key: sa.Significant, value: true }]);
  }

  setStatus(status: EnquiryStatus) {
    this.state.status = status;
    this.upsert([{ key: sa.Status, value: status }]);
  }

  /** The decisions now waiting, on whom, until when; mirrored into search attributes for `GET /v1/tasks`. */
  setDeadlines(deadlines: EnquiryState['deadlines']) {
    this.state.deadlines = deadlines;
    if (!this.tasksVisible) return;
    const earliest = deadlines.map((d) => d.due).sort()[0];
    this.upsert([
      { key: sa.WaitingOn, value: [...new Set(deadlines.map((d) => d.who))] },
      { key: sa.Deadline, value: earliest ? new Date(earliest) : null },
    ]);
  }
}
