import { EventSource } from 'eventsource';
import { activeSession, currentSession } from './auth.js';

/**
 * Live changes from the api (GET /v1/live, Server-Sent Events): "an enquiry you may see
 * moved on". One stream per tab, shared by every screen that listens. The `eventsource`
 * package sends the bearer token, which the browser's own EventSource cannot.
 */

export interface Change {
  enquiryId: string;
  types: string[];
}
type Listener = (change: Change) => void;

const listeners = new Set<Listener>();
let source: EventSource | undefined;
/** After a refused connection (session over) the stream is tried again this much later. */
const RETRY_MS = 10_000;

export function onLiveChange(listener: Listener): () => void {
  listeners.add(listener);
  source ??= connect();
  return () => void listeners.delete(listener);
}

function connect(): EventSource {
  const es = new EventSource('/v1/live', {
    // Each (re)connection takes the token of the moment: the stream ends when a token expires.
    fetch: async (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${(await activeSession())?.accessToken ?? ''}` },
      }),
  });
  es.addEventListener('change', (e) => {
    const change = JSON.parse(e.data) as Change;
    for (const l of listeners) l(change);
  });
  es.addEventListener('error', () => {
    if (es.readyState !== EventSource.CLOSED) return;
    source = undefined;
    setTimeout(() => {
      if (listeners.size > 0 && currentSession()) source ??= connect();
    }, RETRY_MS);
  });
  return es;
}
