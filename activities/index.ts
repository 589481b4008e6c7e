import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { log } from '@temporalio/activity';
import { enquiryEvent, eventSubject, leadSubject, typeOf, type CloudEvent } from '../domain/events.js';
import { firmEventSubject, firmEventTypeOf } from '../domain/firm-events.js';
import type { Requirements } from '../domain/matching.js';
import type { Lead } from '../domain/lead.js';
import type { ReferenceStore } from '../infra/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import type { Assessment, AssessmentQuery, DeadlineQuery, SiteQuery } from '../contract/assessment.js';
import { createAssessment } from './assessment.js';
import { createForwardingLookups } from './forwarding.js';
import { postSignedWebhook } from './lead-webhook.js';
import { createPersonalDataActivities, type PersonalDataDeps } from './personal-data.js';
import { createReportActivities, type ReportDeps } from './report.js';

/** Everything an enquiry workflow does outside itself: reference data, the site registry, events, leads. */

export interface ActivityDeps extends PersonalDataDeps, Omit<ReportDeps, 'reference'> {
  nats: NatsConnection;
  reference: ReferenceStore;
  sites: SiteRegistry;
  webhookSecrets: Record<string, string>;
  /** URL prefixes a lead may be posted to without https (tests, internal partners). */
  webhookAllowlist: readonly string[];
}

export function createActivities(deps: ActivityDeps) {
  const { nats, reference, sites, webhookSecrets, webhookAllowlist, dataKeys } = deps;
  const js: JetStreamClient = jetstream(nats);

  /** Publishes and waits for JetStream's ack; without it, throws, and Temporal retries with the same id. */
  async function publish(subject: string, event: CloudEvent) {
    const ack = await js.publish(subject, JSON.stringify(event), { msgID: event.id });
    if (ack.duplicate) log.info('already published', { eventId: event.id, seq: ack.seq });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  const look = createAssessment(reference, sites);
  const forwarding = createForwardingLookups(reference, sites);

  return {
    /**
     * The agency's own sites within the preferred locations (or, for joint handling,
     * all sites of the parties): the best few, and why the others did not fit.
     */
    async findSites(input: SiteQuery) {
      await sites.catchUp();
      return look.sitesFor(input);
    },

    /**
     * Jurisdiction, agreement and own sites in one activity task, for an enquiry whose intake
     * did not assess it; reads the reference data as it is now.
     */
    async assessEnquiry(input: AssessmentQuery): Promise<Assessment> {
      return look.assess(input);
    },

    /** When a deadline starting at `from` falls, and its reminder, in the calendar of the agency that must act. */
    async deadlineFor(input: DeadlineQuery) {
      return forwarding.deadlineFor(input);
    },

    /**
     * Partners the responsible agency may forward to (an agreement with forwarding names
     * both) that have fitting sites anywhere in their area, best first, with the agreement's
     * terms and the decision's deadline: what staff are asked, in one activity task.
     */
    async forwardingRequest(input: { responsible: string; requirements: Requirements; from: string }) {
      return forwarding.forwardingRequest(input);
    },

    /**
     * Several events in their order, each only after the one before was acked: one that
     * fails stops the rest, so the stream never holds a later event without an earlier one.
     * A retry sends all again, and JetStream drops the ones it already has by their ids.
     */
    async publishEvents(events: CloudEvent[]) {
      let duplicates = 0;
      for (const event of events) if ((await publish(eventSubject(typeOf(event)), event)).duplicate) duplicates++;
      return { published: events.length, duplicates };
    },

    /** A firm's events, in order, by the same rule: each after the one before was acked. */
    async publishFirmEvents(events: CloudEvent[]) {
      let duplicates = 0;
      for (const event of events) {
        const type = firmEventTypeOf(event);
        if (!type) throw new Error(`not a firm event type: ${event.type}`);
        if ((await publish(firmEventSubject(type), event)).duplicate) duplicates++;
      }
      return { published: events.length, duplicates };
    },

    ...createPersonalDataActivities(deps),
    ...createReportActivities(deps),

    /** The lead on leads.<partner>, as a CloudEvent whose id is fixed by the step; readable to its partner. */
    async publishLead(input: { lead: Lead; step: number; time: string }) {
      const lead = await dataKeys.readable(input.lead.enquiryId, input.lead);
      const event = enquiryEvent({
        enquiryId: input.lead.enquiryId,
        step: input.step,
        type: 'lead_forwarded',
        agency: input.lead.from,
        time: new Date(input.time),
        data: { lead },
      });
      return publish(leadSubject(lead.partner), { ...event, id: `${event.id}.lead.${lead.partner}` });
    },

    /** Posts the lead to the partner's own webhook, when it has one. */
    async postLeadWebhook(input: { lead: Lead; step: number }): Promise<{ delivered: boolean; reason?: string }> {
      const partner = reference.get().agencies.find((a) => a.id === input.lead.partner);
      if (!partner?.leadWebhookUrl) return { delivered: false, reason: 'no leadWebhookUrl' };
      const secret = webhookSecrets[partner.id];
      if (!secret) return { delivered: false, reason: 'no webhook secret for the partner' };
      await postSignedWebhook({
        url: partner.leadWebhookUrl,
        secret,
        messageId: `${input.lead.enquiryId}.${input.step}.lead.${partner.id}`,
        body: await dataKeys.readable(input.lead.enquiryId, input.lead),
        allowlist: webhookAllowlist,
      });
      return { delivered: true };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
