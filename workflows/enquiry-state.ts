import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, log, upsertSearchAttributes } from '@temporalio/workflow';
import type { EnquiryInput } from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';
import type { EnquiryState, EnquiryStatus, TimelineEntry } from '../domain/enquiry.js';
import { enquiryEvent, isEventType, type CloudEvent, type EventType } from '../domain/events.js';
import type { Jurisdiction } from '../domain/jurisdiction.js';
import type { Source } from '../domain/programme.js';
import { agenciesInvolved, jointPartners } from '../domain/parties.js';
import { summarise } from '../domain/summary.js';
import { publishEvents } from './activities.js';
import { personOf } from '../domain/decisions.js';
import { given } from './invariants.js';
import { since } from './versions.js';

/** Timeline entries that are no event of the contract: they stay in the audit trail only. */
export type TimelineOnly =
  | 'consent_recorded'
  | 'no_partner_candidates'
  | 'no_partner_left'
  | 'lead_webhook_failed'
  | 'task_assigned'
  | 'co_carer_joined'
  | 'source_set';

/**
 * The enquiry's state and audit timeline, kept together so that every step lands in both,
 * and its outbox: the events recorded until the workflow waits again (a decision and its
 * consequences, the intake's first steps) go out together, in order, in one activity
 * (conditions are looked at only after everything else has run). The search attributes
 * changed meanwhile are upserted together, likewise: once per round, mostly once a task.
 */
export class Enquiry {
  readonly state: EnquiryState;
  readonly timeline: TimelineEntry[] = [];
  /** Who recorded the investor's consent to share, once they did. */
  consentBy: string | null = null;
  /** Who closed the enquiry, for the `closed` event the main flow publishes. */
  closedBy: { actor: string; agency: string; note?: string } | null = null;
  private pending: CloudEvent[] = [];
  private sending = false;
  private attributes = new Map<string, SearchAttributeUpdatePair>();
  /** Every batch carries the enquiry's summary (the read model's feed); false in enquiries started before. */
  private readonly summaries = since('read-model-summary');
  /** Summaries sent so far: the `asOf` of the next one. */
  private sent = 0;
  /** Something lists or figures show changed since the last summary went out. */
  private stale = false;

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
      consent: null,
      enquiry: { ...input.submission },
      ...(input.firm ? { firm: input.firm } : {}),
    };
    void this.publisher();
  }

  get responsible(): string {
    return this.state.responsibleAgency ?? this.input.receivedBy;
  }

  /**
   * Adds the step to the timeline and, for the contract's event types, queues its event
   * with an id fixed by its position. Returns the step number at once: no promise, since
   * every promise a workflow makes costs the worker a stack trace (docs/capacity.md).
   */
  record(type: EventType | TimelineOnly, actor: string, agency: string, detail: Record<string, unknown>): number {
    const at = new Date();
    const step = this.timeline.length + 1;
    detail = { ...detail, ...this.notAssignee(actor, type) };
    this.timeline.push({ at: at.toISOString(), type, actor, detail });
    log.info('enquiry step', { enquiryId: this.input.enquiryId, type, status: this.state.status });
    if (isEventType(type)) {
      const data = { status: this.state.status, actor, ...detail };
      this.pending.push(enquiryEvent({ enquiryId: this.input.enquiryId, step, type, agency, time: at, data }));
    }
    return step;
  }

  /**
   * A decision by someone other than the person of their agency who has the task is allowed,
   * and says so: its step names the assignee (`detail.assignee`).
   */
  private notAssignee(actor: string, type: string): { assignee?: string } {
    const person = personOf(actor);
    if (!person || type === 'task_assigned') return {};
    const assignee = this.state.assignees?.[person.agency];
    return assignee && assignee.sub !== person.sub ? { assignee: assignee.sub } : {};
  }

  /**
   * Who of the agency has the task from now on (null: nobody). Only the state and the timeline
   * change; the lists learn it from the next summary, or, in an enquiry started before 1.1 (no
   * summaries), from an event of the step that makes the read model ask the workflow.
   */
  assign(agency: string, assignee: string | null, by: string) {
    if ((this.state.assignees?.[agency]?.sub ?? null) === assignee) return;
    const assignees = { ...this.state.assignees };
    if (assignee) assignees[agency] = { sub: assignee, at: new Date().toISOString(), by };
    else delete assignees[agency];
    this.state.assignees = assignees;
    this.listsChanged(this.record('task_assigned', by, agency, { assignee }), agency);
  }

  /** Where the enquiry came from, as staff set or corrected it (null: none): the figures follow. */
  setSource(source: Source | null, by: string, agency: string) {
    const before = this.state.enquiry.source ?? null;
    if (JSON.stringify(before) === JSON.stringify(source)) return;
    const { source: _dropped, ...enquiry } = this.state.enquiry;
    this.state.enquiry = source ? { ...enquiry, source } : enquiry;
    this.listsChanged(this.record('source_set', by, agency, { before, source }), agency);
  }

  /**
   * A change lists or figures show without an event of the contract: the next summary carries
   * it, or, in an enquiry started before 1.1 (no summaries), a `status_changed` that makes the
   * read model ask the workflow.
   */
  private listsChanged(step: number, agency: string) {
    if (this.summaries) this.stale = true;
    else {
      const { enquiryId } = this.input;
      const data = { status: this.state.status };
      this.pending.push(enquiryEvent({ enquiryId, step, type: 'status_changed', agency, time: new Date(), data }));
    }
  }

  /**
   * Sends what waits, batch after batch: each only once the one before is out. The activity
   * retries until it succeeds (workflows/activities.ts) and throws nothing for good, so a
   * batch always ends and `published()` always comes.
   */
  private async publisher() {
    const waiting = () => this.pending.length > 0 || this.stale;
    const due = () => this.attributes.size > 0 || (waiting() && !this.sending);
    for (;;) {
      await condition(due);
      if (this.attributes.size > 0) {
        upsertSearchAttributes([...this.attributes.values()]);
        this.attributes.clear();
      }
      if (waiting() && !this.sending) {
        if (this.summaries) this.summarise();
        this.sending = true;
        void publishEvents(this.pending.splice(0)).then(() => (this.sending = false));
      }
    }
  }

  /**
   * The batch about to go out carries where the enquiry now stands. A change with no event
   * of the contract (no partner to forward to) goes out as `status_changed`: a reader of the
   * stream never keeps an older state than the workflow's.
   */
  private summarise() {
    const summary = summarise(this.state, ++this.sent);
    if (this.pending.length === 0) {
      const { enquiryId } = this.input;
      const step = this.timeline.length;
      const event = enquiryEvent({
        enquiryId,
        step,
        type: 'status_changed',
        agency: this.responsible,
        time: new Date(),
        data: { status: this.state.status },
      });
      this.pending.push({ ...event, id: `${event.id}.${summary.asOf}` });
    }
    for (const event of this.pending) event.data = { ...event.data, summary };
    this.stale = false;
  }

  /** Every event recorded so far is on NATS. */
  async published(): Promise<void> {
    await condition(() => this.pending.length === 0 && !this.stale && !this.sending);
  }

  /** What Temporal's visibility store finds the enquiry by (operators in its Web UI), and lists show. */
  private upsert(pairs: SearchAttributeUpdatePair[]) {
    for (const pair of pairs) this.attributes.set(pair.key.name, pair);
    if (this.summaries) this.stale = true;
  }

  assignResponsibility(jurisdiction: Jurisdiction) {
    const agency = jurisdiction.responsibleAgency;
    this.state.responsibleAgency = agency;
    this.state.jurisdiction = jurisdiction;
    this.state.handlingAgencies = [agency];
    this.upsert([{ key: sa.ResponsibleAgency, value: agency }]);
    this.syncAgencies();
  }

  /** A handling agency's staff closed it: no deadline is open any more. */
  close(outcome: NonNullable<EnquiryState['outcome']>, actor: string, agency: string, note?: string) {
    this.state.outcome = outcome;
    this.closedBy = { actor, agency, ...(note ? { note } : {}) };
    this.setDeadlines([]);
    this.setStatus('closed');
  }

  /** Project figures (no personal data) and who handled it, for the statistics. */
  recordClosed() {
    const { actor, agency, note } = given(this.closedBy, 'the process records the close once it is closed');
    this.record('closed', actor, agency, {
      outcome: this.state.outcome,
      ...(note ? { note } : {}),
      handlingAgencies: this.state.handlingAgencies,
      jobs: this.state.enquiry.project.jobs,
      investmentEur: this.state.enquiry.project.investmentEur,
    });
  }

  handBy(agencies: string[]) {
    this.state.handlingAgencies = agencies;
    this.syncAgencies();
  }

  /** Agencies that may see the enquiry, and partners the lead went to, for visibility queries. */
  syncAgencies() {
    const involved = agenciesInvolved(this.state);
    const handling = this.state.handlingAgencies.map(sa.handlingTag);
    const offered = this.state.forwarding?.offers.map((o) => o.partner) ?? [];
    const joint = jointPartners(this.state);
    this.upsert([
      { key: sa.Agencies, value: [...involved, ...handling] },
      { key: sa.LeadPartners, value: [...new Set([...offered, ...joint])] },
    ]);
  }

  markSignificant() {
    this.upsert([{ key: sa.Significant, value: true }]);
  }

  setStatus(status: EnquiryStatus) {
    this.state.status = status;
    this.upsert([{ key: sa.Status, value: status }]);
  }

  /** The decisions now waiting, on whom, until when; mirrored into search attributes for `GET /v1/tasks`. */
  setDeadlines(deadlines: EnquiryState['deadlines']) {
    this.state.deadlines = deadlines;
    const earliest = deadlines.map((d) => d.due).sort()[0];
    this.upsert([
      { key: sa.WaitingOn, value: [...new Set(deadlines.map((d) => d.who))] },
      { key: sa.Deadline, value: earliest ? new Date(earliest) : null },
    ]);
  }
}
