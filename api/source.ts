import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setSource } from '../contract/enquiry-workflow.js';
import { Source } from '../domain/programme.js';
import { postDecision } from './decision-route.js';
import type { ViewDeps } from './enquiry-views.js';
import { unknownSource, type ProgrammeCodes } from './intake.js';

/**
 * Where an enquiry came from (Eingangsweg, Maßnahme), set or corrected by staff: the sender's
 * form may not know the campaign, a phone call has no form at all. The programme figures
 * count the enquiry under its source as it stands.
 */

const SourceBody = z.object({ source: Source.nullable().describe('null: none ("ohne Zuordnung")') }).strict();

export function registerSource(root: FastifyInstance, deps: ViewDeps & { programmeCodes: () => ProgrammeCodes }) {
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/source',
      summary: 'Set or correct where the enquiry came from: channel, measure, area (staff or managers of its agencies)',
      operationId: 'setSource',
      tags: ['Enquiries'],
      access: 'staff_or_manager',
      check: (b: z.infer<typeof SourceBody>) =>
        unknownSource(b.source ?? undefined, deps.programmeCodes(), 'The source'),
    },
    SourceBody,
    setSource,
    (b, actor) => ({ source: b.source, actor }),
  );
}
