import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { currentKey } from '../../domain/ags.js';
import { durationMs } from '../../domain/duration.js';
import { IsoDuration } from '../../domain/reference.js';
import { enquiryIdFor } from '../../domain/enquiry-id.js';
import { EnquiryId, EnquirySubmission } from '../../domain/enquiry.js';
import { enquiryEvent, typeOf } from '../../domain/events.js';
import { CloudEventSchema } from '../../domain/cloud-event.js';
import { LOG_REDACT_PATHS } from '../../domain/redaction.js';
import { sign, signedHeaders, verify } from '../../infra/webhook-signature.js';
import { enquiry } from '../harness.js';

describe('AGS key successions', () => {
  const table = [
    { old: '14374', new: '14730', since: '2008-08-01', name: 'Delitzsch → Nordsachsen' },
    { old: '14374060', new: '14730070', since: '2008-08-01', name: 'Delitzsch' },
    { old: '11111', new: '22222', since: '2000-01-01', name: 'a' },
    { old: '22222', new: '11111', since: '2001-01-01', name: 'b' },
  ];
  it('prefers the exact key over its county', () => expect(currentKey('14374060', table).key).toBe('14730070'));
  it('maps a Gemeinde by its county when it has no entry of its own', () =>
    expect(currentKey('14374999', table).key).toBe('14730999'));
  it('leaves current keys alone', () => expect(currentKey('14713000', table)).toEqual({ key: '14713000', via: [] }));
  it('stops on a cycle in operator data', () => expect(currentKey('11111000', table).via).toHaveLength(2));
});

describe('ISO 8601 durations', () => {
  it.each([
    ['P5D', 5 * 86_400_000],
    ['PT2S', 2000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT0.5S', 500],
    ['P1W', 7 * 86_400_000],
  ])('%s = %i ms', (iso, ms) => expect(durationMs(iso)).toBe(ms));
  it.each(['P', 'PT', '5D', 'P1M', 'P1Y', 'PT-1S'])('refuses %s', (bad) =>
    expect(IsoDuration.safeParse(bad).success).toBe(false),
  );
});

describe('enquiry submission schema', () => {
  it('defaults to confidential without consent', () => {
    const { confidential, consentToShare, ...rest } = enquiry();
    void confidential;
    void consentToShare;
    expect(EnquirySubmission.parse(rest)).toMatchObject({ confidential: true, consentToShare: false });
  });
  it('refuses unknown fields at every level', () => {
    expect(EnquirySubmission.safeParse({ ...enquiry(), extra: 1 }).success).toBe(false);
    expect(EnquirySubmission.safeParse({ ...enquiry(), contact: { ...enquiry().contact, fax: '1' } }).success).toBe(
      false,
    );
  });
  it.each(['28', 'C23.1', '29.10.0', '23.11'])('accepts the WZ code %s', (sector) => {
    expect(EnquirySubmission.safeParse({ ...enquiry(), company: { ...enquiry().company, sector } }).success).toBe(true);
  });
  it.each(['C', '2', 'Z23.1', '23.1.1.1'])('refuses the WZ code %s', (sector) => {
    expect(EnquirySubmission.safeParse({ ...enquiry(), company: { ...enquiry().company, sector } }).success).toBe(
      false,
    );
  });
});

describe('enquiry ids', () => {
  it('are stable per (agency, externalRef) and distinct across agencies', () => {
    expect(enquiryIdFor('irl', 'web-1')).toBe(enquiryIdFor('irl', 'web-1'));
    expect(enquiryIdFor('irl', 'web-1')).not.toBe(enquiryIdFor('wfs', 'web-1'));
    expect(enquiryIdFor('irl', 'web-1')).not.toBe(enquiryIdFor('irl', 'web-2'));
    expect(EnquiryId.safeParse(enquiryIdFor('wfg-nordsachsen', 'x')).success).toBe(true);
  });
});

describe('CloudEvents envelope', () => {
  const input = {
    enquiryId: 'irl-0123456789abcdef0123',
    step: 2,
    type: 'jurisdiction_determined' as const,
    agency: 'wfg-nordsachsen',
    time: new Date('2026-11-21T10:00:00Z'),
    data: { responsibleAgency: 'wfg-nordsachsen' },
  };
  it('carries every CloudEvents 1.0 attribute', () => {
    const e = enquiryEvent(input);
    expect(CloudEventSchema.parse(e)).toEqual({
      specversion: '1.0',
      id: 'irl-0123456789abcdef0123.2.jurisdiction_determined',
      source: 'urn:lotse:agency:wfg-nordsachsen',
      type: 'de.lotse.enquiry.jurisdiction_determined.v1',
      subject: 'irl-0123456789abcdef0123',
      time: '2026-11-21T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { enquiryId: 'irl-0123456789abcdef0123', responsibleAgency: 'wfg-nordsachsen' },
    });
    expect(typeOf(e)).toBe('jurisdiction_determined');
  });
  it('derives the id from enquiry and step, so a retry publishes the same id', () => {
    expect(enquiryEvent(input).id).toBe(enquiryEvent({ ...input, time: new Date() }).id);
    expect(enquiryEvent(input).id).not.toBe(enquiryEvent({ ...input, step: 3 }).id);
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = Buffer.from('{"a":1}');
  it('matches the reference example of the Standard Webhooks spec', () => {
    // Test vector published with the specification's reference libraries.
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
  it('verifies what it signs, now and within five minutes', () => {
    const now = Date.now();
    const h = signedHeaders(secret, 'msg_1', body, now);
    expect(
      verify(
        secret,
        { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] },
        body,
        now + 299_000,
      ),
    ).toEqual({ ok: true });
  });
  it('accepts any of several signatures (secret rotation)', () => {
    const now = Date.now();
    const h = signedHeaders(secret, 'msg_1', body, now);
    const other = signedHeaders('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'msg_1', body, now)['webhook-signature'];
    expect(
      verify(
        secret,
        { id: 'msg_1', timestamp: h['webhook-timestamp'], signature: `${other} ${h['webhook-signature']}` },
        body,
        now,
      ).ok,
    ).toBe(true);
  });
  it('refuses another body, another id, a stale timestamp and missing headers', () => {
    const now = Date.now();
    const h = signedHeaders(secret, 'msg_1', body, now);
    const ok = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    expect(verify(secret, ok, Buffer.from('{"a":2}'), now).ok).toBe(false);
    expect(verify(secret, { ...ok, id: 'msg_2' }, body, now).ok).toBe(false);
    expect(verify(secret, ok, body, now + 301_000).ok).toBe(false);
    expect(verify(secret, { ...ok, signature: undefined }, body, now).ok).toBe(false);
  });
});

describe('log redaction', () => {
  it('keeps contact data, company names and credentials out of log lines', () => {
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((out += chunk.toString()), done()) });
    const logger = pino({ redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, sink);
    const e = enquiry();
    logger.info({ submission: e, req: { headers: { authorization: 'Bearer abc.def.ghi' } } }, 'logged whole');
    logger.info(e, 'logged flat');
    expect(out).not.toContain(e.contact.email);
    expect(out).not.toContain(e.contact.name);
    expect(out).not.toContain(e.company.name);
    expect(out).not.toContain('abc.def.ghi');
    expect(out).toContain(e.externalRef);
  });
});
