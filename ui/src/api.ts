import createClient, { type Middleware } from 'openapi-fetch';
import { currentSession, signIn } from './auth.js';
import type { paths } from './schema.js';
import { de } from './texts.js';

/** The /v1 API, typed from the OpenAPI document the api generates: a changed API breaks this build. */

const bearer: Middleware = {
  async onRequest({ request }) {
    const session = currentSession();
    if (!session) return signIn();
    request.headers.set('authorization', `Bearer ${session.accessToken}`);
    return request;
  },
  async onResponse({ response }) {
    // Expired or revoked: sign in again and come back here.
    if (response.status === 401) await signIn();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(bearer);

/**
 * The decisions waiting on the person: the navigation's count and the screen showing
 * them share one request per page; `fresh` asks again after the person acted.
 */
let tasks: ReturnType<typeof fetchTasks> | undefined;
const fetchTasks = () => api.GET('/v1/tasks');
export const waitingTasks = (fresh = false) => (tasks = fresh || !tasks ? fetchTasks() : tasks);

/** A problem answer as the person should read it: in German, saying what to do. */
export function problemDetail(error: unknown, status?: number): string {
  const own = status !== undefined ? de.problems[status] : undefined;
  if (own) return own;
  return error && typeof error === 'object' && 'detail' in error
    ? String((error as { detail: unknown }).detail)
    : (de.problems[0] ?? '');
}
