import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EnquiryStatus } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import * as sa from '../contract/search-attributes.js';
import { enquiriesOf } from '../contract/enquiry-workflow.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import type { CursorCodec } from './cursor.js';
import { bearer, problems } from './docs.js';
import { EnquiryList } from './schemas.js';
import { fetchPage, type VisibilityDeps } from './visibility.js';

/** The enquiries a caller's agency has a part in, page by page; and the rule which those are. */

export const Moment = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));
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
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

// Values reach the query only after zod allowed them (slugs, enums, dates): nothing to escape.
const eq = (key: { name: string }, value: string) => `${key.name} = '${value}'`;

type ListFilter = Omit<z.infer<typeof ListQuery>, 'cursor' | 'limit'>;

/** Which enquiries a caller may list: one rule for the listing and the figures. */
export function listQuery(taskQueue: string, caller: Caller, q: ListFilter): string {
  const parts = [enquiriesOf(taskQueue), eq(sa.Agencies, caller.agency)];
  if (q.status) parts.push(eq(sa.Status, q.status));
  if (q.agency) parts.push(eq(sa.Agencies, q.agency));
  if (q.receivedBy) parts.push(eq(sa.ReceivedBy, q.receivedBy));
  if (q.responsibleAgency) parts.push(eq(sa.ResponsibleAgency, q.responsibleAgency));
  if (q.handlingAgency) parts.push(eq(sa.Agencies, sa.handlingTag(q.handlingAgency)));
  if (q.significant === true) parts.push(`${sa.Significant.name} = true`);
  if (q.significant === false) parts.push(`(${sa.Significant.name} = false OR ${sa.Significant.name} IS NULL)`);
  if (q.from) parts.push(`${sa.ReceivedAt.name} >= '${q.from.toISOString()}'`);
  if (q.to) parts.push(`${sa.ReceivedAt.name} < '${q.to.toISOString()}'`);
  return parts.join(' AND ');
}

export interface ListingDeps extends VisibilityDeps {
  cursors: CursorCodec;
}

export function registerListing(root: FastifyInstance, deps: ListingDeps) {
  /** A page for a caller: the cursor handed out is signed, and one handed in is checked. */
  const list = async (query: string, pageSize: number, cursor?: string) => {
    const page = await fetchPage(deps.temporal, query, pageSize, cursor ? deps.cursors.decode(cursor) : undefined);
    return { items: page.items, nextCursor: page.next ? deps.cursors.encode(page.next) : null };
  };

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
      const q = req.query;
      return list(listQuery(deps.taskQueue, callerOf(req), q), q.limit, q.cursor);
    },
  );
}
