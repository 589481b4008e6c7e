import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlaceKind, type PlaceIndex } from '../domain/places.js';
import { bearer, problems } from './docs.js';
import { named } from './schemas.js';

/**
 * Places by name: what a place field offers as staff type ("torg" → Torgau (Nordsachsen)),
 * and the names of the keys a screen shows. The API itself keeps AGS everywhere else.
 */

const PlaceLabel = named(
  'Place',
  z.object({
    ags: z.string(),
    kind: PlaceKind,
    label: z.string().describe('as staff read it: "Torgau (Nordsachsen)", "Landkreis Nordsachsen", "Sachsen"'),
    successor: z.string().optional().describe('the key that replaced this one, where it is no longer valid'),
  }),
);

const PlaceQuery = z
  .object({
    q: z.string().trim().min(1).max(100).optional().describe('what was typed: a word of the name, or its start'),
    ags: z
      .string()
      .regex(/^\d{2,8}(,\d{2,8}){0,199}$/, 'must be up to 200 keys, comma-separated')
      .optional()
      .describe('the keys to name'),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict()
  .refine((q) => (q.q === undefined) !== (q.ags === undefined), { message: 'give either q or ags', path: ['q'] });

export function registerPlaces(root: FastifyInstance, deps: { places: () => PlaceIndex }) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/places',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Sites'],
        operationId: 'listPlaces',
        summary: 'Municipalities, counties and Länder found by name, or named by key',
        security: bearer,
        querystring: PlaceQuery,
        response: { 200: z.object({ items: z.array(PlaceLabel) }), ...problems(400, 401) },
      },
    },
    async (req) => {
      const { q, ags, limit } = req.query;
      const index = deps.places();
      if (q !== undefined) return { items: index.search(q, limit) };
      const keys = [...new Set(ags!.split(','))];
      return { items: keys.flatMap((k) => index.label(k) ?? []) };
    },
  );
}
