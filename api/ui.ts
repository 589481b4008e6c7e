import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MapConfig, OidcConfig } from '../infra/config.js';
import { Problem } from './problem.js';

/**
 * The web app (ui/dist, built by `npm run ui:build`) at /: its assets, its page for
 * every path of its own (links are real URLs), and where it signs people in.
 */

const UI_DIST = path.join(__dirname, '../ui/dist');
/** The web app's own pages (links are real URLs); anything else unknown stays a problem+json 404. */
const APP_PATHS = [
  '/',
  '/anmeldung',
  '/abgemeldet',
  '/anfragen',
  '/anfragen/:id',
  '/leads',
  '/abstimmungen',
  '/flaechen',
  '/flaechen/:id',
  '/unternehmen',
  '/unternehmen/:id',
  '/unternehmen/:id/besuch',
  '/neues-unternehmen',
  '/neue-flaeche',
  '/kennzahlen',
];

export interface UiDeps {
  oidc?: OidcConfig;
  clientId: string;
  /** The map's tiles and their credit (LOTSE_MAP_TILES); unset: a map without tiles. */
  map?: MapConfig;
}

export async function registerUi(app: FastifyInstance, deps: UiDeps) {
  const indexFile = path.join(UI_DIST, 'index.html');
  // Read once: the page is the same for every path of the app until the next build and start.
  const html = existsSync(indexFile) ? readFileSync(indexFile) : null;
  if (html)
    await app.register(fastifyStatic, {
      root: path.join(UI_DIST, 'assets'),
      prefix: '/assets/',
      index: false,
      maxAge: '365d',
      immutable: true,
      // ui:build writes .br and .gz beside each script and style.
      preCompressed: true,
    });

  const page = async (_req: FastifyRequest, reply: FastifyReply) => {
    if (!html) throw Problem.unavailable('The web app is not built: run `npm run ui:build` (npm start does it).', 60);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  };
  for (const url of APP_PATHS) app.get(url, { config: { access: 'public' }, schema: { hide: true } }, page);
  registerIcon(app);
  app.get('/ui-config.json', { config: { access: 'public' }, schema: { hide: true } }, async () => {
    if (!deps.oidc) throw Problem.unavailable('No identity provider is configured (LOTSE_OIDC_ISSUER).', 60);
    const map = deps.map ?? { tiles: null, attribution: '' };
    return { issuer: deps.oidc.issuer, clientId: deps.clientId, map };
  });
}

/**
 * The icon (ui/public/favicon.svg): at /favicon.svg, which the page names, and at
 * /favicon.ico, which browsers and tools ask for by themselves.
 */
function registerIcon(app: FastifyInstance) {
  const file = path.join(UI_DIST, 'favicon.svg');
  const icon = existsSync(file) ? readFileSync(file) : null;
  const send = async (_req: FastifyRequest, reply: FastifyReply) => {
    if (!icon) throw Problem.notFound('The web app is not built: run `npm run ui:build`.');
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon);
  };
  for (const url of ['/favicon.svg', '/favicon.ico'])
    app.get(url, { config: { access: 'public' }, schema: { hide: true } }, send);
}
