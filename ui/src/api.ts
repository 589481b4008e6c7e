import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import createClient, { type Middleware } from 'openapi-fetch';
import { activeSession, signIn } from './auth.js';
import { onLiveChange } from './live.js';
import type { paths } from './schema.js';
import { de } from './texts.js';
import type { TaskList } from './types.js';

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
 * What a screen loads, and the one way every screen loads it. `data` is the latest answer
 * (undefined until the first, and after a failure); `error` why the latest request failed,
 * in German; `loading` while a request is under way. When `deps` change or `reload()` asks
 * again, what is shown stays until the answer comes (a list does not blink on every
 * change); `set` shows what an action answered with, without asking.
 */
export interface Load<T> {
  data: T | undefined;
  error: string | undefined;
  /** The HTTP status of a failed request (a screen words a 404 or 403 for itself). */
  status?: number;
  /** The fields a refused request (400) names, by path: "agency", "minAreaM2". */
  fields?: string[];
  loading: boolean;
  reload: () => void;
  set: (data: T) => void;
}

/** An answer of the api client (`api.GET(…)`), or one put together like it. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response?: Response;
}

/**
 * Loads with `fetcher` now and again whenever `deps` change; a `fetcher` of null waits (for
 * something the request needs). Only the answer to the latest request is shown.
 */
export function useLoad<T>(fetcher: (() => Promise<Answer<T>>) | null, deps: unknown[]): Load<T> {
  const [state, setState] = useState<Pick<Load<T>, 'data' | 'error' | 'status' | 'fields' | 'loading'>>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const latest = useRef(fetcher);
  latest.current = fetcher;
  const asked = useRef(0);
  const reload = useCallback(() => {
    const ask = latest.current;
    if (!ask) return;
    const request = ++asked.current;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    void askPatiently(ask, () => request === asked.current).then((answer) => {
      if (!answer || request !== asked.current) return;
      const { data, error, response } = answer;
      setState(
        data !== undefined
          ? { data, error: undefined, loading: false }
          : {
              data: undefined,
              error: problemDetail(error, response?.status),
              status: response?.status,
              fields: fieldsOf(error),
              loading: false,
            },
      );
    });
  }, []);
  const set = useCallback((data: T) => {
    asked.current++;
    setState({ data, error: undefined, loading: false });
  }, []);
  useEffect(reload, deps);
  // An answer that comes after the screen has gone is dropped.
  useEffect(() => () => void asked.current++, []);
  return { ...state, reload, set };
}

/** How long a read waits before asking again while Lotse is briefly unavailable (503, no answer at all). */
const PATIENCE_MS = [1000, 2000, 4000];

/**
 * A read answered 503 (Temporal or NATS a moment away, a worker restarting) is asked again a
 * few times before the screen says so: the person would press reload anyway. Undefined when
 * `current()` says a newer request took over meanwhile.
 */
async function askPatiently<T>(ask: () => Promise<Answer<T>>, current: () => boolean) {
  for (let attempt = 0; ; attempt++) {
    const answer = await ask().catch((): Answer<T> => ({}));
    const unavailable = answer.data === undefined && (!answer.response || answer.response.status === 503);
    const wait = PATIENCE_MS[attempt];
    if (!unavailable || wait === undefined) return answer;
    await new Promise((r) => setTimeout(r, wait));
    if (!current()) return undefined;
  }
}

/**
 * The decisions waiting on the person: the navigation's count and the screens showing
 * them share one request; `fresh` asks again (after the person acted, on another page, or
 * when the live stream says something changed) and every screen showing them gets the new
 * answer.
 */
// The first page (200, the most the api gives at once) is all of them for nearly everyone; `total` counts all.
const TASK_PAGE = 200;
const fetchTasks = () => api.GET('/v1/tasks', { params: { query: { limit: TASK_PAGE } } });
let tasks: ReturnType<typeof fetchTasks> | undefined;
const tasksShown = new Set<() => void>();
export function waitingTasks(fresh = false): ReturnType<typeof fetchTasks> {
  if (fresh || !tasks) {
    const asked = (tasks = fetchTasks());
    void asked.then(() => asked === tasks && tasksShown.forEach((show) => show()));
  }
  return tasks;
}

/**
 * The waiting decisions, kept current: asked again after a live change (announced once the
 * read model has it).
 */
export function useWaitingTasks(): Load<TaskList> {
  const load = useLoad(() => waitingTasks(), []);
  useEffect(() => {
    tasksShown.add(load.reload);
    const stop = onLiveChange(refreshSoon);
    return () => {
      tasksShown.delete(load.reload);
      stop();
    };
  }, []);
  return load;
}

/** The waiting decisions after `cursor` (Aufgaben's "Weitere laden"). */
export const tasksAfter = (cursor: string) => api.GET('/v1/tasks', { params: { query: { limit: TASK_PAGE, cursor } } });

let refresh: ReturnType<typeof setTimeout> | undefined;
/**
 * Once, shortly after a change: the api announces it only once the read model has it, so
 * asking again later would find nothing newer. Changes come in bursts (an intake's first
 * steps): one request for a burst.
 */
function refreshSoon() {
  clearTimeout(refresh);
  refresh = setTimeout(() => void waitingTasks(true), 150);
}

/** The fields a problem names (400): "areaM2", "agency"; empty for any other answer. */
export function fieldsOf(error: unknown): string[] {
  const errors = (error as { errors?: { path?: unknown }[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.path ?? '')) : [];
}

/** The latest data a load answered, kept while a later request fails: a mistyped filter keeps the list. */
export function useLastData<T>(load: Load<T>): T | undefined {
  const last = useRef<T | undefined>(undefined);
  if (load.data !== undefined) last.current = load.data;
  return last.current;
}

/** A problem answer as the person should read it: in German, saying what to do. */
export function problemDetail(error: unknown, status?: number): string {
  const own = status !== undefined ? de.problems[status] : undefined;
  if (own) return own;
  return error && typeof error === 'object' && 'detail' in error
    ? String((error as { detail: unknown }).detail)
    : (de.problems[0] ?? '');
}
