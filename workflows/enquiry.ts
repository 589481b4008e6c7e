import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { EnquiryInput } from '../contract/enquiry-workflow.js';
import type { EnquiryState } from '../domain/enquiry.js';
import { existingSiteOf, routingLocations } from '../domain/expansion.js';
import { assessEnquiry } from './activities.js';
import { Enquiry } from './enquiry-state.js';
import { ForwardingStage } from './forwarding.js';
import { listen } from './handlers.js';
import { JointHandlingStage } from './joint-handling.js';
import { Leads } from './leads.js';

/**
 * One enquiry, from the webhook to its close, in the order of the cooperation
 * agreements. Each wait for a person lives in the stage it belongs to, with its
 * consequence right after it. The handlers (handlers.ts) only record decisions; this
 * flow acts on them, and the enquiry's outbox publishes every step as an event.
 * Changes of behaviour from 1.0 on: workflows/versions.ts.
 */
export async function enquiryWorkflow(input: EnquiryInput): Promise<EnquiryState> {
  const enquiry = new Enquiry(input);
  const leads = new Leads(enquiry);
  const joint = new JointHandlingStage(enquiry, leads);
  const forwarding = new ForwardingStage(enquiry, leads);
  listen(enquiry, joint);
  const consent = releaseOnConsent(enquiry, leads, joint);

  // Received at one agency; the most specific agency covering the location is responsible.
  enquiry.record('received', `agency:${input.receivedBy}`, input.receivedBy, {
    kind: input.submission.kind,
    receivedBy: input.receivedBy,
  });
  const { jurisdiction, jointAgreement, ownSites } = input.assessment ?? (await assessedNow(input));
  enquiry.assignResponsibility(jurisdiction);
  enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });

  // A project that matters to the whole region: the office holders vote; approved, both parties handle it.
  const handledJointly = await joint.handledJointly(jointAgreement);
  // Otherwise the own sites (after a vote said no, days later maybe, looked up again);
  // none fits: a partner's, with a person's yes and the partner's answer.
  if (!handledJointly) {
    if (enquiry.state.jointHandling?.status === 'rejected') await forwarding.ownSitesElsePartner();
    else await forwarding.proposeElseForward(ownSites);
  }

  // Handled until closed; staff asking for joint handling meanwhile starts the vote.
  for (;;) {
    await condition(() => enquiry.state.status === 'closed' || joint.flagPending);
    if (enquiry.state.status === 'closed') break;
    if (await joint.voteOnRequest()) await joint.handleJointly();
    else enquiry.setStatus('in_progress');
  }
  enquiry.recordClosed();

  // Decisions still answering, leads still being delivered, events still being published.
  await consent;
  await condition(allHandlersFinished);
  await leads.settled();
  await enquiry.published();
  return enquiry.state;
}

/** The intake could not assess the enquiry in time (the registry did not answer): the workflow asks. */
function assessedNow({ receivedBy, submission }: EnquiryInput) {
  const existingSite = existingSiteOf(submission);
  return assessEnquiry({
    receivedBy,
    preferredLocations: routingLocations(submission),
    requirements: submission.siteRequirements,
    ...(existingSite ? { existingSite } : {}),
  });
}

/**
 * The investor's consent can come at any time until the close: whoever holds the lead
 * then gets it in full.
 */
async function releaseOnConsent(enquiry: Enquiry, leads: Leads, joint: JointHandlingStage) {
  await condition(() => enquiry.consentBy !== null || enquiry.state.status === 'closed');
  if (enquiry.consentBy) await leads.releaseInFull(enquiry.consentBy, joint.partners());
}
