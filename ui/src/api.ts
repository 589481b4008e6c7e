import { useEffect, useState } from 'preact/hooks';
import createClient, { type Middleware } from 'openapi-fetch';
import { activeSession, signIn } from './auth.js';
import { onLiveChange } from './live.js';
import type { paths } from './schema.js';
import { de } from './texts.js';

/** The /v1 API, typed from the OpenAPI document the api generates: a changed API breaks this build. */

const bearer: Middleware = {
  async onRequest({ request }) {
    const session = await activeSession();
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
 * them share one request; `fresh` asks again (after the person acted, or when the live
 * stream says something changed) and every screen showing them gets the new answer.
 */
type TasksAnswer = Awaited<ReturnType<typeof fetchTasks>>;
const fetchTasks = () => api.GET('/v1/tasks');
let tasks: Promise<TasksAnswer> | undefined;
const tasksShown = new Set<(answer: TasksAnswer) => void>();
export function waitingTasks(fresh = false): Promise<TasksAnswer> {
  if (fresh || !tasks) {
    const asked = (tasks = fetchTasks());
    void asked.then((answer) => asked === tasks && tasksShown.forEach((show) => show(answer)));
  }
  return tasks;
}

/**
 * The waiting decisions, kept current: asked again shortly after a live change (Temporal's
 * visibility store follows a workflow by a moment, so once more a little later).
 */
export function useWaitingTasks(): TasksAnswer | undefined {
  const [answer, setAnswer] = useState<TasksAnswer>();
  useEffect(() => {
    tasksShown.add(setAnswer);
    void waitingTasks().then(setAnswer);
    const stop = onLiveChange(refreshSoon);
    return () => {
      tasksShown.delete(setAnswer);
      stop();
    };
  }, []);
  return answer;
}

let refreshes: ReturnType<typeof setTimeout>[] = [];
function refreshSoon() {
  refreshes.forEach(clearTimeout);
  refreshes = [300, 2000].map((ms) => setTimeout(() => void waitingTasks(true), ms));
}

/** A problem answer as the person should read it: in German, saying what to do. */
export function problemDetail(error: unknown, status?: number): string {
  const own = status !== undefined ? de.problems[status] : undefined;
  if (own) return own;
  return error && typeof error === 'object' && 'detail' in error
    ? String((error as { detail: unknown }).detail)
    : (de.problems[0] ?? '');
}
