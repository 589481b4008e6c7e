import type { Selectable } from 'kysely';
import { earliestDeadline, waitingOn, type EnquiryRow } from '../../domain/enquiry-row.js';
import type { EnquiriesTable } from './tables.js';

/** Between the domain's row (domain/enquiry-row.ts) and the table's columns. */

export function toRow(r: EnquiryRow) {
  return {
    enquiry_id: r.enquiryId,
    as_of: r.asOf,
    last_step: r.lastStep,
    status: r.status,
    kind: r.kind,
    received_by: r.receivedBy,
    received_at: r.receivedAt,
    responsible_agency: r.responsibleAgency,
    agencies: r.agencies,
    handling_agencies: r.handlingAgencies,
    lead_partners: r.leadPartners,
    significant: r.significant,
    offices: r.offices,
    waiting_on: waitingOn(r),
    deadline: earliestDeadline(r),
    deadlines: JSON.stringify(r.deadlines),
    outcome: r.outcome,
    places: r.places,
    jobs: r.jobs,
    investment_eur: r.investmentEur,
    forwarding_requested: r.forwardingRequested,
    leads: JSON.stringify(r.leads),
    first_at: JSON.stringify(r.firstAt),
    joint: r.joint,
    joint_partners: r.jointPartners,
    assignees: JSON.stringify(r.assignees),
    updated_at: r.updatedAt,
    channel: r.source?.channel ?? null,
    measure: r.source?.measure ?? null,
    source_area: r.source?.area ?? null,
    proposed_places: r.proposedPlaces,
  };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function fromRow(r: Selectable<EnquiriesTable>): EnquiryRow {
  return {
    enquiryId: r.enquiry_id,
    asOf: r.as_of,
    lastStep: r.last_step,
    status: r.status,
    kind: r.kind,
    receivedBy: r.received_by,
    receivedAt: iso(r.received_at),
    responsibleAgency: r.responsible_agency,
    agencies: r.agencies,
    handlingAgencies: r.handling_agencies,
    leadPartners: r.lead_partners,
    significant: r.significant,
    offices: r.offices,
    deadlines: r.deadlines as EnquiryRow['deadlines'],
    outcome: r.outcome,
    places: r.places,
    jobs: r.jobs,
    investmentEur: r.investment_eur,
    forwardingRequested: r.forwarding_requested,
    leads: r.leads as EnquiryRow['leads'],
    firstAt: r.first_at as EnquiryRow['firstAt'],
    joint: r.joint,
    jointPartners: r.joint_partners,
    assignees: (r.assignees ?? {}) as EnquiryRow['assignees'],
    updatedAt: iso(r.updated_at)!,
    source: sourceOf(r),
    proposedPlaces: r.proposed_places ?? [],
  };
}

/** Where it came from, from the columns that hold it, without the parts it has not. */
export function sourceOf(r: {
  channel: string | null;
  measure: string | null;
  source_area: string | null;
}): EnquiryRow['source'] {
  if (!r.channel) return null;
  return {
    channel: r.channel,
    ...(r.measure ? { measure: r.measure } : {}),
    ...(r.source_area ? { area: r.source_area } : {}),
  };
}
