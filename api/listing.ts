import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EnquiryStatus } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import { berlinMidnight } from '../domain/stats.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { listEnquiries } from '../infra/read-model/queries.js';
import type { PlaceIndex } from '../domain/places.js';
import { searchFor, SearchWords } from './search.js';
import { callerOf } from './access.js';
import type { CursorCodec } from './cursor.js';
import { bearer, problems } from './docs.js';
import { EnquiryList } from './schemas.js';
import { summaryOf } from './summaries.js';
import { firmNamesFor, firmOf } from './firm-names.js';
import type { DataKeys } from '../infra/data-keys.js';

/** The enquiries a caller's agency has a part in, page by page, from the read model. */

/** A moment, or a day: its start in Germany (Europe/Berlin), as the figures' default year begins. */
export const Moment = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => (s.length === 10 ? berlinMidnight(s) : new Date(s)));
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListQuery = z
  .object({
    status: EnquiryStatus.optional(),
    agency: AgencyId.optional().describe('another agency that has a part in the enquiry too'),
    receivedBy: AgencyId.optional(),
    responsibleAgency: AgencyId.optional(),
    handlingAgency: AgencyId.optional(),
    significant: Bool.optional(),
    from: Moment.optional().describe('received at or after'),
    to: Moment.optional().describe('received before'),
    q: SearchWords,
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const ListAfterKey = z.object({ receivedAt: z.iso.datetime(), enquiryId: z.string().max(200) });

export interface ListingDeps {
  readModel: ReadModel;
  cursors: CursorCodec;
  places: () => PlaceIndex;
  dataKeys: DataKeys;
}

export function registerListing(root: FastifyInstance, deps: ListingDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/enquiries',
    {
      config: { access: 'staff_or_manager' },
      schema: {
        tags: ['Managers'],
        operationId: 'listEnquiries',
        summary: 'Enquiries the caller’s agency received, is responsible for, handles or was offered, newest first',
        security: bearer,
        querystring: ListQuery,
        response: { 200: EnquiryList, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const { cursor, limit, q, ...filter } = req.query;
      const after = cursor ? deps.cursors.decodeJson(cursor, ListAfterKey) : undefined;
      const { agency } = callerOf(req);
      const search = q ? searchFor(q, agency, deps) : undefined;
      const page = await listEnquiries(deps.readModel.db, { ...filter, visibleTo: agency, search }, limit, after);
      const firms = await firmNamesFor(
        deps.readModel.db,
        deps.dataKeys,
        agency,
        page.rows.map((r) => r.enquiry_id),
      );
      return {
        items: page.rows.map((r) => ({ ...summaryOf(r), ...firmOf(firms, r.enquiry_id) })),
        nextCursor: page.next ? deps.cursors.encodeJson(page.next) : null,
        asOf: await deps.readModel.asOf(),
      };
    },
  );
}
