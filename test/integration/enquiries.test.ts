import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

let h: Harness;
let enquiryId: string;
const body = enquiry({ preferredLocations: ['14730310'] });

beforeAll(async () => {
  h = await startHarness();
  ({ enquiryId } = await (await h.post('irl', body)).json());
  const staff = await h.token({ agency: 'irl' });
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${enquiryId}`, staff)).json()).status).toBe('in_progress'),
  );
});
afterAll(async () => h?.close());

/** A token built by hand, to get each claim wrong on purpose. */
function rawToken(o: { secret?: string; audience?: string; expiresAt?: number | string }) {
  return new SignJWT({ agency: 'irl', roles: ['staff'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .setIssuer('lotse')
    .setAudience(o.audience ?? 'lotse-api')
    .setExpirationTime(o.expiresAt ?? '1h')
    .sign(new TextEncoder().encode(o.secret ?? h.jwtSecret));
}

describe('GET /v1/enquiries/{id}', () => {
  it('shows the receiving agency the state: responsible agency and the rule that decided', async () => {
    const res = await h.get(`/v1/enquiries/${enquiryId}`, await h.token({ agency: 'irl' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      enquiryId,
      status: 'in_progress',
      kind: 'new_settlement',
      receivedBy: 'irl',
      responsibleAgency: 'wfg-nordsachsen',
      jurisdiction: { rule: 'most_specific_coverage', location: '14730310', coveredBy: '14730' },
      handlingAgencies: ['wfg-nordsachsen'],
      enquiry: { externalRef: body.externalRef },
    });
  });

  it('shows it to the responsible agency and its managers too', async () => {
    expect((await h.get(`/v1/enquiries/${enquiryId}`, await h.token({ agency: 'wfg-nordsachsen' }))).status).toBe(200);
    expect(
      (await h.get(`/v1/enquiries/${enquiryId}`, await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] })))
        .status,
    ).toBe(200);
  });

  it('answers 401 without a token, with a token signed by another secret, expired, or for another audience', async () => {
    const url = `/v1/enquiries/${enquiryId}`;
    expect((await h.get(url)).status).toBe(401);
    const forged = await rawToken({ secret: 'not-the-secret' });
    const expired = await rawToken({ expiresAt: Math.floor(Date.now() / 1000) - 60 });
    const otherAudience = await rawToken({ audience: 'something-else' });
    for (const token of [forged, expired, otherAudience, 'not-a-jwt']) {
      const res = await h.get(url, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('answers 404 to an agency that has nothing to do with the enquiry, exactly as for one that does not exist', async () => {
    const stranger = await h.token({ agency: 'img', roles: ['staff', 'manager'] });
    const res = await h.get(`/v1/enquiries/${enquiryId}`, stranger);
    expect(res.status).toBe(404);
    const missing = await h.get(`/v1/enquiries/irl-00000000000000000000`, stranger);
    expect(missing.status).toBe(404);
    const [a, b] = [await res.json(), await missing.json()];
    expect(a.title).toBe(b.title);
    expect((await h.get(`/v1/enquiries/not-an-id`, stranger)).status).toBe(404);
  });

  it('answers 404 to an office holder whose office does not vote on the enquiry', async () => {
    const officeOnly = await h.token({ agency: 'irl', roles: [], offices: ['ob-leipzig'] });
    expect((await h.get(`/v1/enquiries/${enquiryId}`, officeOnly)).status).toBe(404);
  });
});

describe('GET /v1/enquiries/{id}/history', () => {
  it('returns the audit timeline oldest first, with actors', async () => {
    const res = await h.get(`/v1/enquiries/${enquiryId}/history`, await h.token({ agency: 'wfg-nordsachsen' }));
    expect(res.status).toBe(200);
    const timeline = await res.json();
    // Torgau: WFG Nordsachsen has no site that fits, nor does its partner IRL.
    expect(timeline.map((e: any) => [e.type, e.actor])).toEqual([
      ['received', 'agency:irl'],
      ['jurisdiction_determined', 'system'],
      ['no_partner_candidates', 'system'],
    ]);
    expect(timeline[1].detail).toMatchObject({ responsibleAgency: 'wfg-nordsachsen', rule: 'most_specific_coverage' });
    expect(Date.parse(timeline[0].at)).toBeLessThanOrEqual(Date.parse(timeline[1].at));
  });

  it('gives the raw Temporal history with ?format=temporal to the managers answering for it, 404 to others', async () => {
    const raw = `/v1/enquiries/${enquiryId}/history?format=temporal`;
    // IRL received it, Nordsachsen is responsible: only Nordsachsen's managers answer for it.
    expect((await h.get(raw, await h.token({ agency: 'irl', roles: ['manager'] }))).status).toBe(404);
    expect((await h.get(raw, await h.token({ agency: 'wfg-nordsachsen', roles: ['staff'] }))).status).toBe(404);
    const res = await h.get(raw, await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }));
    expect(res.status).toBe(200);
    const history = await res.json();
    expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(history.events[0].workflowExecutionStartedEventAttributes.workflowType.name).toBe('enquiryWorkflow');
    expect(historyFromJSON(history).events?.length).toBe(history.events.length);
  });

  it('refuses an unknown format with 400 and strangers with 404', async () => {
    expect(
      (await h.get(`/v1/enquiries/${enquiryId}/history?format=xml`, await h.token({ agency: 'irl' }))).status,
    ).toBe(400);
    expect((await h.get(`/v1/enquiries/${enquiryId}/history`, await h.token({ agency: 'leg' }))).status).toBe(404);
    expect((await h.get(`/v1/enquiries/${enquiryId}/history`)).status).toBe(401);
  });
});

describe('operations', () => {
  it('serves healthz, readyz, metrics, the OpenAPI document and the docs page', async () => {
    expect(await (await h.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await h.get('/readyz')).json()).toEqual({
      status: 'ready',
      temporal: 'ok',
      nats: 'ok',
      readModel: 'ok',
    });
    const metrics = await (await h.get('/metrics')).text();
    expect(metrics).toMatch(/lotse_intake_total\{agency="irl",result="created"\} 1/);
    expect(metrics).toContain('lotse_http_request_duration_seconds_bucket');
    // The process's own figures, the event loop's delay among them (sampled every 100 ms).
    expect(metrics).toMatch(/^lotse_nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m);
    const doc = await (await h.get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.EnquirySubmissionInput.required).toEqual(
      expect.arrayContaining(['externalRef', 'kind', 'company', 'contact', 'project', 'siteRequirements']),
    );
    expect(doc.components.schemas.EnquirySubmissionInput.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/webhooks/{agencyId}/enquiries', '/v1/enquiries/{id}', '/v1/enquiries/{id}/history']),
    );
    const docs = await h.get('/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('documents every registered route and only those, with tags, operation ids and answers', async () => {
    const doc = await (await h.get('/openapi.json')).json();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const registered = h.lotse
      .api!.lotseRoutes.filter((r) => !r.url.startsWith('/docs') && r.url !== '/openapi.json')
      .map((r) => `${r.method} ${r.url}`);
    expect(registered.length).toBeGreaterThanOrEqual(20);
    expect([...documented].sort()).toEqual([...new Set(registered)].sort());
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths) as [string, any][]) {
      for (const [method, op] of Object.entries(ops) as [string, any][]) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId), `${where}: operationId used twice`).toBe(false);
        ids.add(op.operationId);
        expect(op.tags, where).toHaveLength(1);
        expect(
          Object.keys(op.responses).some((c) => c.startsWith('2')),
          where,
        ).toBe(true);
        for (const [code, answer] of Object.entries(op.responses) as [string, any][]) {
          expect(answer.description, `${where} ${code}`).toBeTruthy();
          expect(answer.description, `${where} ${code}`).not.toBe('Default Response');
          if (Number(code) >= 400)
            expect(answer.content['application/problem+json'].schema.$ref, `${where} ${code}`).toBe(
              '#/components/schemas/Problem',
            );
        }
        if (path.startsWith('/v1/') && !path.startsWith('/v1/webhooks'))
          expect(op.security, where).toEqual([{ bearer: [] }]);
      }
    }
    // Query parameters come from the route's schema.
    const listParams = doc.paths['/v1/enquiries'].get.parameters.map((p: any) => `${p.in}:${p.name}`);
    expect(listParams).toEqual(
      expect.arrayContaining(['query:status', 'query:cursor', 'query:limit', 'query:significant']),
    );
    // Request bodies name their schema, with an example.
    // The intake takes an enquiry or a firm's concern (kind "concern"), each a named schema.
    const intake = doc.paths['/v1/webhooks/{agencyId}/enquiries'].post.requestBody.content['application/json'].schema;
    const bodyRefs = (intake.anyOf as { $ref: string }[]).map((s) => s.$ref.split('/').at(-1));
    expect(bodyRefs).toEqual(['EnquirySubmissionInput', 'ConcernSubmissionInput']);
    expect(doc.components.schemas[bodyRefs[0]!].examples).toHaveLength(1);
    const voteRef =
      doc.paths['/v1/enquiries/{id}/joint-handling/votes'].post.requestBody.content['application/json'].schema.$ref;
    expect(doc.components.schemas[voteRef.split('/').at(-1)].examples[0]).toEqual({
      office: 'ob-leipzig',
      decision: 'approve',
    });
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await h.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('GET /v1/stats', () => {
  it('counts this calendar year without a period, and says so', async () => {
    const res = await h.get('/v1/stats', await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }));
    expect(res.status).toBe(200);
    const stats = await res.json();
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()),
    );
    expect(stats).toMatchObject({
      period: 'calendar_year_default',
      from: new Date(`${year}-01-01T00:00:00+01:00`).toISOString(),
    });
  });

  it('counts an enquiry that stopped for want of partner candidates as in progress: a status_changed says so', async () => {
    const events = await eventually(async () => {
      const all = await h.events(enquiryId, { statusChanges: true });
      expect(all.map((e) => e.event.type)).toContain('de.lotse.enquiry.status_changed.v1');
      return all;
    });
    const changed = events.find((e) => e.event.type === 'de.lotse.enquiry.status_changed.v1')!;
    expect(changed.event.data.summary).toMatchObject({ status: 'in_progress', deadlines: [] });
    const stats = await eventually(async () => {
      const res = await h.get('/v1/stats', await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }));
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.byStatus).toEqual({ in_progress: 1 });
      return body;
    });
    expect(Date.parse(stats.asOf)).toBeGreaterThanOrEqual(Date.parse(changed.event.time));
  });

  it('counts exactly the enquiries the manager may list', async () => {
    for (const agency of ['irl', 'wfg-nordsachsen', 'leg']) {
      const token = await h.token({ agency, roles: ['manager'] });
      const listed = (await (await h.get('/v1/enquiries', token)).json()).items.map((e: any) => e.enquiryId);
      const res = await h.get('/v1/stats', token);
      const stats = await res.json();
      expect(res.status, JSON.stringify(stats)).toBe(200);
      expect(stats.enquiries, agency).toBe(listed.length);
      expect(listed.includes(enquiryId), agency).toBe(agency !== 'leg');
    }
  });
});
