import type { CloudEvent } from './events.js';
import type { FirmSummary } from './firm-events.js';
import { SEALED_PREFIX } from './personal-data.js';

/**
 * A co-carer's share of a firm's steps (Bestandspflege): a partner agency that cares for the
 * firm under an agreement, or that a concern of the firm was handed to, gets each step at its
 * own webhook, as the firm's page would tell it — without anything sealed (contact people,
 * notes, places), without who may see the firm and without the Betreuer's subject. The firm's
 * own agency and the agency that took the step get nothing: they have it already.
 */
export interface Share {
  agency: string;
  event: CloudEvent;
}

export function firmSharesFor(event: CloudEvent): Share[] {
  const summary = event.data.summary as FirmSummary | undefined;
  if (!summary) return [];
  const source = event.source.replace(/^urn:lotse:agency:/, '');
  const asked = [event.data.handledBy, event.data.to].filter((a): a is string => typeof a === 'string');
  const agencies = [...new Set([...summary.coCarers, ...asked])].filter((a) => a !== summary.agency && a !== source);
  if (agencies.length === 0) return [];
  const shared: CloudEvent = { ...event, data: { ...unsealed(event.data), summary: summaryShare(summary) } };
  return agencies.sort().map((agency) => ({ agency, event: shared }));
}

const summaryShare = (s: FirmSummary) => ({
  firmId: s.firmId,
  agency: s.agency,
  name: s.name,
  sector: s.sector,
  places: s.places,
  careLevel: s.careLevel,
  nextVisitDue: s.nextVisitDue,
  visitDue: s.visitDue,
});

/** The value without its sealed strings (a sealed note is left out, not sent as a token). */
function unsealed(value: Record<string, unknown>): Record<string, unknown> {
  const keep = (v: unknown): unknown => {
    if (typeof v === 'string') return v.startsWith(SEALED_PREFIX) ? undefined : v;
    if (Array.isArray(v)) return v.map(keep).filter((x) => x !== undefined);
    if (v && typeof v === 'object') return unsealed(v as Record<string, unknown>);
    return v;
  };
  return Object.fromEntries(
    Object.entries(value)
      .map(([k, v]) => [k, keep(v)] as const)
      .filter(([, v]) => v !== undefined),
  );
}
