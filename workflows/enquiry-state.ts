import { log, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { agenciesInvolved, type EnquiryState, type EnquiryStatus, type TimelineEntry } from '../domain/enquiry.js';
import { EVENT_TYPES, enquiryEvent, type EventType } from '../domain/events.js';
import type { EnquiryInput } from './definitions.js';
import * as sa from './search-attributes.js';

// No maximum attempts: an event waits out a NATS outage instead of being dropped.
const { publishEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** Timeline entries that are no event of the contract: they stay in the audit trail only. */
export type TimelineOnly = 'consent_recorded' | 'no_partner_candidates' | 'no_partner_left' | 'lead_webhook_failed';

const isEvent = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

/** The enquiry's state and audit timeline, kept together so that every step lands in both. */
export class Enquiry {
  readonly state: EnquiryState;
  readonly timeline: TimelineEntry[] = [];

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
   * with an id fixed by its position. Returns the step number.
   */
  async record(type: EventType | TimelineOnly, actor: string, agency: string, detail: Record<string, unknown>): Promise<number> {
    const at = new Date();
    const step = this.timeline.length + 1;
    this.timeline.push({ at: at.toISOString(), type, actor, detail });
    log.info('enquiry step', { enquiryId: this.input.enquiryId, type, status: this.state.status });
    if (isEvent(type)) {
      const data = { status: this.state.status, actor, ...detail };
      await publishEvent(enquiryEvent({ enquiryId: this.input.enquiryId, step, type, agency, time: at, data }));
    }
    return step;
  }

  assignResponsibility(agency: string, jurisdiction: NonNullable<EnquiryState['jurisdiction']>) {
    this.state.responsibleAgency = agency;
    this.state.jurisdiction = jurisdiction;
    this.state.handlingAgencies = [agency];
    upsertSearchAttributes([
      { key: sa.ResponsibleAgency, value: agency },
      { key: sa.Agencies, value: agenciesInvolved(this.state) },
    ]);
  }

  handBy(agencies: string[]) {
    this.state.handlingAgencies = agencies;
    this.syncAgencies();
  }

  /** Agencies that may see the enquiry, and partners offered the lead, for visibility queries. */
  syncAgencies() {
    upsertSearchAttributes([
      { key: sa.Agencies, value: agenciesInvolved(this.state) },
      { key: sa.LeadPartners, value: this.state.forwarding?.offers.map((o) => o.partner) ?? [] },
    ]);
  }

  setStatus(status: EnquiryStatus) {
    this.state.status = status;
    upsertSearchAttributes([{ key: sa.Status, value: status }]);
  }

  setDeadlines(deadlines: EnquiryState['deadlines']) {
    this.state.deadlines = deadlines;
  }
}
