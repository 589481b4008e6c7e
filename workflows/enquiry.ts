import { condition, log, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { agenciesInvolved, type EnquiryState, type EnquiryStatus, type TimelineEntry } from '../domain/enquiry.js';
import { enquiryEvent, type EventType } from '../domain/events.js';
import { stateQuery, timelineQuery, type EnquiryInput } from './definitions.js';
import * as sa from './search-attributes.js';

const { determineJurisdiction } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
});

// No maximum attempts: an event waits out a NATS outage instead of being dropped.
const { publishEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** One enquiry, from the webhook to its close. */
export async function enquiryWorkflow(input: EnquiryInput): Promise<EnquiryState> {
  const enquiry = new Enquiry(input);
  setHandler(stateQuery, () => enquiry.state);
  setHandler(timelineQuery, () => enquiry.timeline);

  await enquiry.record('received', `agency:${input.receivedBy}`, input.receivedBy, {
    kind: input.submission.kind,
    receivedBy: input.receivedBy,
  });

  const jurisdiction = await determineJurisdiction({
    receivedBy: input.receivedBy,
    preferredLocations: input.submission.preferredLocations,
  });
  enquiry.assignResponsibility(jurisdiction.responsibleAgency, jurisdiction);
  // Sites, forwarding, joint handling and closing come in later stages; until then the
  // responsible agency works the enquiry.
  enquiry.setStatus('in_progress');
  await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });

  await condition(() => enquiry.state.status === 'closed');
  return enquiry.state;
}

/** The enquiry's state and audit timeline, kept together so that every step lands in both. */
class Enquiry {
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
      forwarding: null,
      jointHandling: null,
      deadlines: [],
      outcome: null,
      enquiry: input.submission,
    };
  }

  /** Adds the step to the timeline and publishes it as an event, with an id fixed by its position. */
  async record(type: EventType, actor: string, agency: string, detail: Record<string, unknown>): Promise<void> {
    const at = new Date();
    const step = this.timeline.length + 1;
    this.timeline.push({ at: at.toISOString(), type, actor, detail });
    const event = enquiryEvent({
      enquiryId: this.input.enquiryId,
      step,
      type,
      agency,
      time: at,
      data: { status: this.state.status, actor, ...detail },
    });
    await publishEvent(event);
    log.info('enquiry step', { enquiryId: this.input.enquiryId, type, status: this.state.status });
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

  setStatus(status: EnquiryStatus) {
    this.state.status = status;
    upsertSearchAttributes([{ key: sa.Status, value: status }]);
  }
}
