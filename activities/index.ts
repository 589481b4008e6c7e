import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { log } from '@temporalio/activity';
import { eventSubject, typeOf, type CloudEvent } from '../domain/events.js';
import { determineJurisdiction as decide, type Jurisdiction } from '../domain/jurisdiction.js';
import type { ReferenceStore } from '../infra/reference.js';

/** Everything an enquiry workflow does outside itself: read reference data, publish events. */

export interface ActivityDeps {
  nats: NatsConnection;
  reference: ReferenceStore;
}

export function createActivities({ nats, reference }: ActivityDeps) {
  const js: JetStreamClient = jetstream(nats);
  return {
    /** Reads the reference data as it is now, so an operator's edit counts for the next enquiry. */
    async determineJurisdiction(input: { receivedBy: string; preferredLocations?: string[] }): Promise<Jurisdiction> {
      const { agencies, successions } = reference.get();
      return decide(agencies, successions, input.receivedBy, input.preferredLocations);
    },

    /**
     * Publishes and waits for JetStream's ack. Without the ack it throws, and
     * Temporal retries with the same event id, so the stream holds it exactly once.
     */
    async publishEvent(event: CloudEvent): Promise<{ seq: number; duplicate: boolean }> {
      const ack = await js.publish(eventSubject(typeOf(event)), JSON.stringify(event), { msgID: event.id });
      if (ack.duplicate) log.info('event already published', { eventId: event.id, seq: ack.seq });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
