import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { EnquiriesTable } from '../infra/read-model/tables.js';
import { codeName } from '../domain/redaction.js';
import { iso } from '../infra/read-model/queries.js';
import type { Summary } from './schemas.js';

type SummaryOut = z.infer<typeof Summary>;

/** A row of the read model as the listing shows it. */
export function summaryOf(r: Selectable<EnquiriesTable>): SummaryOut {
  return {
    enquiryId: r.enquiry_id,
    codeName: codeName(r.enquiry_id),
    // Written by the workflow from the same enums.
    status: r.status as SummaryOut['status'],
    kind: r.kind as SummaryOut['kind'],
    receivedBy: r.received_by || null,
    receivedAt: iso(r.received_at),
    responsibleAgency: r.responsible_agency,
    handlingAgencies: r.handling_agencies,
    significant: r.significant,
    waitingOn: r.waiting_on,
    deadline: iso(r.deadline),
  };
}
