import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticate, Caller } from './auth.js';
import { Problem } from './problem.js';

/**
 * Who may do what: the one authorization module. Every route names its policy in
 * `config.access`; one hook authenticates and checks it before the handler runs. What
 * depends on the enquiry's state (whose decision it is now) the workflow's update
 * validators decide; which enquiries a caller may see, `canSee` below.
 */

export type Policy =
  /** Anyone: health, metrics, docs. */
  | 'public'
  /** The intake webhook: the agency's signature is checked by the route itself. */
  | 'webhook'
  /** Any valid token. */
  | 'signed_in'
  | 'staff'
  | 'manager'
  | 'staff_or_manager'
  /** A token holding at least one office (Oberbürgermeister, Landrat, or a delegate). */
  | 'office_holder';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Policy;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

const ALLOWED: Record<
  Exclude<Policy, 'public' | 'webhook' | 'signed_in'>,
  { test: (c: Caller) => boolean; who: string }
> = {
  staff: { test: (c) => c.roles.includes('staff'), who: 'staff of an agency' },
  manager: { test: (c) => c.roles.includes('manager'), who: 'managers of an agency' },
  staff_or_manager: {
    test: (c) => c.roles.includes('staff') || c.roles.includes('manager'),
    who: 'staff and managers of an agency',
  },
  office_holder: { test: (c) => c.offices.length > 0, who: 'holders of an office' },
};

/** Routes registered by plugins (the docs page) are public; every route of ours must say. */
const PLUGIN_PREFIXES = ['/docs', '/assets/'];

/**
 * `seen` learns of every verified caller (the people directory keeps display names from it).
 */
export function registerAccess(app: FastifyInstance, authenticate: Authenticate, seen?: (c: Caller) => void) {
  app.addHook('onRoute', (route) => {
    const policy = (route.config as { access?: Policy } | undefined)?.access;
    if (!policy && !PLUGIN_PREFIXES.some((p) => route.url.startsWith(p))) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access policy`);
    }
  });
  app.addHook('onRequest', async (req) => {
    const policy = req.routeOptions.config.access ?? 'public';
    if (policy === 'public' || policy === 'webhook') return;
    req.caller = await authenticate(req.headers.authorization);
    seen?.(req.caller);
    if (policy === 'signed_in') return;
    const rule = ALLOWED[policy];
    if (!rule.test(req.caller)) throw Problem.forbidden(`Only ${rule.who} may do this.`);
  });
}

/** The authenticated caller of a route whose policy is not public. */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new Error('route without an authenticated caller: check its access policy');
  return req.caller;
}

export { canSee, mayReadRawHistory } from '../domain/visibility.js';

/** 403 unless the caller is staff of that agency (writing its sites). */
export function requireStaffOf(caller: Caller, agency: string, what: string): void {
  if (caller.agency !== agency || !caller.roles.includes('staff')) {
    throw Problem.forbidden(`Only staff of ${agency} may ${what}.`);
  }
}
