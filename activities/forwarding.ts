import type { DeadlineAt, DeadlineQuery, ForwardingRequest } from '../contract/assessment.js';
import { ApplicationFailure } from '@temporalio/activity';
import type { Candidate } from '../domain/enquiry.js';
import type { Requirements } from '../domain/matching.js';
import type { ForwardingTerms } from '../domain/reference.js';
import { calendarOf, deadlineAfter } from '../domain/working-days.js';
import type { ReferenceStore } from '../infra/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import { siteSummary, today, TOP_SITES } from './assessment.js';

/** What forwarding a lead needs to know, read from the registry and the reference data as they are now. */

export function createForwardingLookups(reference: ReferenceStore, sites: SiteRegistry) {
  /**
   * Partners the responsible agency may forward to (an agreement with forwarding names
   * both) that have fitting sites anywhere in their area, best first.
   */
  async function partnerCandidates(input: { responsible: string; requirements: Requirements }) {
    await sites.catchUp();
    const candidates: Candidate[] = [];
    for (const agreement of reference.get().agreements) {
      if (!agreement.forwarding || !agreement.parties.includes(input.responsible)) continue;
      for (const partner of agreement.parties.filter((p) => p !== input.responsible)) {
        if (candidates.some((c) => c.agency === partner)) continue;
        const matches = sites.index.match([partner], input.requirements, { today: today() });
        if (matches.length === 0) continue;
        candidates.push({
          agency: partner,
          agreementId: agreement.id,
          bestScore: matches[0]!.score,
          sites: matches.slice(0, TOP_SITES).map(siteSummary),
        });
      }
    }
    return candidates.sort((a, b) => b.bestScore - a.bestScore || a.agency.localeCompare(b.agency));
  }

  /** The agreement's deadlines for forwarding from the responsible agency (the first agreement that has them). */
  function termsFor(input: { responsible: string }): ForwardingTerms {
    const agreement = reference.get().agreements.find((a) => a.forwarding && a.parties.includes(input.responsible));
    if (!agreement?.forwarding)
      throw ApplicationFailure.nonRetryable(`no forwarding agreement for ${input.responsible}`, 'NoAgreement');
    return agreement.forwarding;
  }

  /** When a deadline starting at `from` falls, and its reminder, in the calendar of the agency that must act. */
  function deadlineFor(input: DeadlineQuery): DeadlineAt {
    const agency = reference.get().agencies.find((a) => a.id === input.agency);
    const calendar = agency ? calendarOf(agency) : calendarOf({ covers: [] });
    const from = new Date(input.from);
    return {
      due: deadlineAfter(from, input.within, calendar).toISOString(),
      remindAt: deadlineAfter(from, input.reminderAfter, calendar).toISOString(),
    };
  }

  /** The three above in one go: what the request to staff names, in one activity task. */
  async function forwardingRequest(input: {
    responsible: string;
    requirements: Requirements;
    from: string;
  }): Promise<ForwardingRequest> {
    const candidates = await partnerCandidates(input);
    if (candidates.length === 0) return { candidates: [], terms: null, deadline: null };
    const terms = termsFor(input);
    const { responsible: agency, from } = input;
    const deadline = deadlineFor({ agency, from, within: terms.decisionWithin, reminderAfter: terms.reminderAfter });
    return { candidates, terms, deadline };
  }

  return { deadlineFor, forwardingRequest };
}
