import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Client } from '@temporalio/client';
import { log } from '@temporalio/activity';
import type { EnquiryState } from '../domain/enquiry.js';
import { LEADS_STREAM } from '../domain/events.js';
import { DEFAULT_RETENTION, erasureDue, shortestPeriodMs } from '../domain/retention.js';
import type { Erasure } from '../domain/personal-data.js';
import type { DataKeys } from '../infra/data-keys.js';
import { readStream } from '../infra/event-log.js';
import type { ReferenceStore } from '../infra/reference.js';
import { enquiriesOf } from '../contract/enquiry-workflow.js';
import type { ErasureRequest } from '../contract/erasure.js';
import * as sa from '../contract/search-attributes.js';

/** Erasure of personal data: the enquiry's key, the leads that carried its data in full, and when each is due. */

export interface PersonalDataDeps {
  nats: NatsConnection;
  dataKeys: DataKeys;
  reference: ReferenceStore;
  temporal: Client;
  taskQueue: string;
}

export function createPersonalDataActivities({ nats, dataKeys, reference, temporal, taskQueue }: PersonalDataDeps) {
  const retentionOf = (agency: string) =>
    reference.get().agencies.find((a) => a.id === agency)?.personalDataRetention ?? DEFAULT_RETENTION;

  return {
    /** Destroys the enquiry's data key; a repeat answers the first erasure. */
    async destroyDataKey(input: ErasureRequest): Promise<Erasure> {
      return dataKeys.erase(input.enquiryId, { reason: input.reason, by: input.by, at: new Date(input.at) });
    },

    /**
     * Overwrites every lead of the enquiry on the LEADS stream (a secure delete): a lead
     * released to a partner carried the personal data in plain text.
     */
    async purgeLeads(input: { enquiryId: string }): Promise<{ purged: number }> {
      const jsm = await jetstreamManager(nats);
      const leads = (await readStream(nats, LEADS_STREAM)).filter((s) => s.event.subject === input.enquiryId);
      for (const { seq } of leads) {
        await jsm.streams.deleteMessage(LEADS_STREAM, seq, true).catch((err: Error) => {
          // Gone already (a retry, or the stream's limits): nothing left to overwrite.
          if (!/no message found/i.test(err.message)) throw err;
        });
      }
      return { purged: leads.length };
    },

    /**
     * Closed enquiries whose receiving agency's retention has passed and whose personal
     * data still exists. Visibility narrows them to those closed long enough ago for the
     * shortest retention any agency has; each one's outcome decides its own period.
     */
    async enquiriesDueForErasure(input: { now: string }): Promise<{ enquiryId: string; agency: string }[]> {
      const now = new Date(input.now);
      const retentions = [DEFAULT_RETENTION, ...reference.get().agencies.map((a) => a.personalDataRetention)];
      const shortest = Math.min(...retentions.filter((r) => r !== undefined).map((r) => shortestPeriodMs(r, now)));
      const cutoff = new Date(now.getTime() - shortest).toISOString();
      const query = `${enquiriesOf(taskQueue)} AND ExecutionStatus = 'Completed' AND CloseTime <= '${cutoff}'`;
      const due: { enquiryId: string; agency: string }[] = [];
      for await (const wf of temporal.workflow.list({ query })) {
        if (!wf.closeTime || (await dataKeys.erasureOf(wf.workflowId))) continue;
        const state = (await temporal.workflow.getHandle(wf.workflowId).result()) as EnquiryState;
        const agency = wf.typedSearchAttributes.get(sa.ReceivedBy) ?? state.receivedBy;
        if (erasureDue(wf.closeTime, state.outcome, retentionOf(agency)) <= now) {
          due.push({ enquiryId: wf.workflowId, agency });
        }
      }
      if (due.length > 0) log.info('personal data due for erasure', { enquiries: due.length });
      return due;
    },
  };
}
