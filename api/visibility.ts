import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { z } from 'zod';
import * as sa from '../contract/search-attributes.js';
import type { Summary } from './schemas.js';

/**
 * What managers and everyone with a decision to make read (lists, tasks, figures) comes
 * from Temporal's visibility store or from events, never from asking every workflow: the
 * pages of the visibility store, read here for listing.ts, tasks.ts and stats.ts.
 */

export interface VisibilityDeps {
  temporal: Client;
  /** Visibility queries cover only the enquiries of this deployment's task queue. */
  taskQueue: string;
}

type Raw = Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>['executions'][number];

function summary(e: Raw): z.infer<typeof Summary> {
  const attrs = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
  const agencies = attrs.get(sa.Agencies) ?? [];
  return {
    enquiryId: e.execution!.workflowId!,
    // Written by the workflow from the same enums.
    status: (attrs.get(sa.Status) ?? null) as z.infer<typeof Summary>['status'],
    kind: (attrs.get(sa.Kind) ?? null) as z.infer<typeof Summary>['kind'],
    receivedBy: attrs.get(sa.ReceivedBy) ?? null,
    receivedAt: attrs.get(sa.ReceivedAt)?.toISOString() ?? null,
    responsibleAgency: attrs.get(sa.ResponsibleAgency) ?? null,
    handlingAgencies: sa.handlingFromTags(agencies),
    significant: attrs.get(sa.Significant) ?? false,
    waitingOn: attrs.get(sa.WaitingOn) ?? [],
    deadline: attrs.get(sa.Deadline)?.toISOString() ?? null,
  };
}

/** One page from the visibility store; `token` is Temporal's own page token. */
export async function fetchPage(temporal: Client, query: string, pageSize: number, token?: Uint8Array) {
  const page = await temporal.workflowService.listWorkflowExecutions({
    namespace: temporal.options.namespace,
    query,
    pageSize,
    nextPageToken: token,
  });
  const next = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : null;
  return { items: page.executions.map(summary), next };
}

/** Every enquiry a query finds, page by page (at most `maxPages`), for answers built from all of them. */
export async function* everyOne(temporal: Client, query: string, pageSize: number, maxPages = Infinity) {
  let token: Uint8Array | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(temporal, query, pageSize, token);
    yield* page.items;
    if (!page.next) return;
    token = page.next;
  }
}
