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
  await eventually(async () => expect((await (await h.get(`/v1/enquiries/${enquiryId}`, staff)).json()).status).toBe('in_progress'));
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
    expect((await h.get(`/v1/enquiries/${enquiryId}`, await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }))).status).toBe(200);
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

  it('gives the raw Temporal history with ?format=temporal', async () => {
    const res = await h.get(`/v1/enquiries/${enquiryId}/history?format=temporal`, await h.token({ agency: 'irl' }));
    expect(res.status).toBe(200);
    const history = await res.json();
    expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(history.events[0].workflowExecutionStartedEventAttributes.workflowType.name).toBe('enquiryWorkflow');
    expect(historyFromJSON(history).events?.length).toBe(history.events.length);
  });

  it('refuses an unknown format with 400 and strangers with 404', async () => {
    expect((await h.get(`/v1/enquiries/${enquiryId}/history?format=xml`, await h.token({ agency: 'irl' }))).status).toBe(400);
    expect((await h.get(`/v1/enquiries/${enquiryId}/history`, await h.token({ agency: 'leg' }))).status).toBe(404);
    expect((await h.get(`/v1/enquiries/${enquiryId}/history`)).status).toBe(401);
  });
});

describe('operations', () => {
  it('serves healthz, readyz, metrics, the OpenAPI document and the docs page', async () => {
    expect(await (await h.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await h.get('/readyz')).json()).toEqual({ status: 'ready', temporal: 'ok', nats: 'ok' });
    const metrics = await (await h.get('/metrics')).text();
    expect(metrics).toMatch(/lotse_intake_total\{agency="irl",result="created"\} 1/);
    expect(metrics).toContain('lotse_http_request_duration_seconds_bucket');
    const doc = await (await h.get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.EnquirySubmission.required).toEqual(
      expect.arrayContaining(['externalRef', 'kind', 'company', 'contact', 'project', 'siteRequirements']),
    );
    expect(doc.components.schemas.EnquirySubmission.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/webhooks/{agencyId}/enquiries', '/v1/enquiries/{id}', '/v1/enquiries/{id}/history']));
    const docs = await h.get('/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('documents only routes that exist, with their methods', async () => {
    const doc = await (await h.get('/openapi.json')).json();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1')]));
    expect(documented.length).toBeGreaterThanOrEqual(16);
    for (const [method, url] of documented) expect(h.lotse.api!.hasRoute({ method: method as 'GET', url: url! }), `${method} ${url}`).toBe(true);
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await h.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
