import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import type { EnquiryState } from '../domain/enquiry.js';
import { assessEnquiry, determineJurisdiction } from './activities.js';
import type { EnquiryInput } from './definitions.js';
import { Enquiry } from './enquiry-state.js';
import { ForwardingStage } from './forwarding.js';
import { listen } from './handlers.js';
import { JointHandlingStage } from './joint-handling.js';
import { Leads } from './leads.js';

/**
 * Behaviour added after the first enquiries were taken in: those replay their old path.
 * Each is one flat patched() branch; deprecate it once no enquiry of the old path is
 * open, remove it after that (README, "Changing the workflow").
 */
const SITE_MATCHING = 'site-matching';
const JOINT_HANDLING = 'joint-handling';
/** A decision answers with the state after it took effect; events publish in the background. */
const DECISION_ANSWERS = 'decision-answers';
/**
 * The intake's lookups (jurisdiction, agreement, own sites) in one activity, and events
 * in batches: an enquiry costs the Temporal server a third of the tasks it did.
 */
const ONE_ASSESSMENT = 'one-assessment';
// And `working-days` (workflows/deadlines.ts): each wait's deadline in the acting agency's calendar;
// `forwarding-request` (workflows/forwarding.ts): one activity prepares the request, which names its deadline.

/**
 * One enquiry, from the webhook to its close, in the order of the cooperation
 * agreements. Each wait for a person lives in the stage it belongs to, with its
 * consequence right after it; the handlers (handlers.ts) only record decisions.
 */
export async function enquiryWorkflow(input: EnquiryInput): Promise<EnquiryState> {
  const enquiry = new Enquiry(input);
  // One-assessment builds on decision-answers: an enquiry with it needs no marker of its own for that.
  const assessedAtOnce = patched(ONE_ASSESSMENT);
  enquiry.decisionAnswers = assessedAtOnce || patched(DECISION_ANSWERS);
  // The intake's first events wait for the assessment and go out with what it decides.
  if (assessedAtOnce) enquiry.batchEvents();
  const leads = new Leads(enquiry);
  const joint = new JointHandlingStage(enquiry, leads);
  const forwarding = new ForwardingStage(enquiry, leads);
  listen(enquiry, leads, joint);
  const consent = enquiry.decisionAnswers ? releaseOnConsent(enquiry, leads, joint) : null;

  // Received at one agency; the most specific agency covering the location is responsible.
  await enquiry.record('received', `agency:${input.receivedBy}`, input.receivedBy, {
    kind: input.submission.kind,
    receivedBy: input.receivedBy,
  });
  if (assessedAtOnce) await assessedFirst(input, enquiry, joint, forwarding);
  else await lookedUpStepByStep(input, enquiry, joint, forwarding);

  // Handled until closed; staff asking for joint handling meanwhile starts the vote.
  for (;;) {
    await condition(() => enquiry.state.status === 'closed' || joint.flagPending);
    if (enquiry.state.status === 'closed') break;
    if (await joint.voteOnRequest()) await joint.handleJointly();
    else enquiry.setStatus('in_progress');
  }
  await enquiry.recordClosed();

  // Decisions still answering, leads still being delivered, events still being published.
  await consent;
  await condition(allHandlersFinished);
  await leads.settled();
  await enquiry.published();
  return enquiry.state;
}

/** Since one-assessment: who is responsible, their agreement and their own sites, known at once. */
async function assessedFirst(
  input: EnquiryInput,
  enquiry: Enquiry,
  joint: JointHandlingStage,
  forwarding: ForwardingStage,
) {
  const { submission, receivedBy } = input;
  const { jurisdiction, jointAgreement, ownSites } =
    input.assessment ??
    (await assessEnquiry({
      receivedBy,
      preferredLocations: submission.preferredLocations,
      requirements: submission.siteRequirements,
    }));
  enquiry.assignResponsibility(jurisdiction.responsibleAgency, jurisdiction);
  await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });
  enquiry.releaseEvents();
  enquiry.showTasks();
  // A project that matters to the whole region: the office holders vote; approved, both parties handle it.
  if (await joint.handledJointlyUnder(jointAgreement)) return;
  // Otherwise the own sites; after a vote said no (days later, maybe) they are looked up again.
  if (enquiry.state.jointHandling?.status === 'rejected') await forwarding.ownSitesElsePartner();
  else await forwarding.proposeElseForward(ownSites);
}

/** Before one-assessment: each lookup an activity of its own, as those enquiries replay. */
async function lookedUpStepByStep(
  input: EnquiryInput,
  enquiry: Enquiry,
  joint: JointHandlingStage,
  forwarding: ForwardingStage,
) {
  const jurisdiction = await determineJurisdiction({
    receivedBy: input.receivedBy,
    preferredLocations: input.submission.preferredLocations,
  });
  enquiry.assignResponsibility(jurisdiction.responsibleAgency, jurisdiction);

  if (!patched(SITE_MATCHING)) {
    // Taken in before site matching existed: the responsible agency works it as it is.
    enquiry.setStatus('in_progress');
    await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });
  } else {
    await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });
    // A project that matters to the whole region: the office holders vote; approved, both parties handle it.
    const joined = patched(JOINT_HANDLING);
    if (joined) enquiry.showTasks();
    const handledJointly = joined && (await joint.handledJointly());
    // Otherwise the responsible agency's own sites; none fits: a partner's, with a person's yes.
    if (!handledJointly) await forwarding.ownSitesElsePartner();
  }
}

/**
 * The investor's consent can come at any time until the close: whoever holds the lead
 * then gets it in full. (Before decision-answers the consent handler sent it itself.)
 */
async function releaseOnConsent(enquiry: Enquiry, leads: Leads, joint: JointHandlingStage) {
  await condition(() => enquiry.consentBy !== null || enquiry.state.status === 'closed');
  if (enquiry.consentBy) await leads.releaseInFull(enquiry.consentBy, joint.partners());
}
