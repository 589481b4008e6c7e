import { describe, expect, it } from 'vitest';
import { erasedLabel, holdsSealed, openSealed, sealSubmission, SEALED_PREFIX } from '../../domain/personal-data.js';
import { addPeriod, erasureDue, Retention, shortestPeriodMs } from '../../domain/retention.js';
import { enquiry } from '../harness.js';

const seal = (plain: string) => `${SEALED_PREFIX}${Buffer.from(plain).toString('base64url')}`;
const open = (token: string) => Buffer.from(token.slice(SEALED_PREFIX.length), 'base64url').toString();

describe('sealing a submission', () => {
  it('seals exactly the personal values: contact, the firm’s name, the description', () => {
    const s = enquiry();
    const sealed = sealSubmission(s, seal);
    expect(sealed.contact).toEqual({
      name: seal(s.contact.name),
      email: seal(s.contact.email),
      phone: seal(s.contact.phone!),
    });
    expect(sealed.company).toEqual({ ...s.company, name: seal(s.company.name) });
    expect(sealed.project).toEqual({ ...s.project, description: seal(s.project.description!) });
    // What routing, matching and the figures need stays as it was.
    expect({ ...sealed, contact: null, company: null, project: null }).toEqual({
      ...s,
      contact: null,
      company: null,
      project: null,
    });
    expect(sealed.project.jobs).toBe(s.project.jobs);
  });

  it('leaves out what was not sent', () => {
    const s = enquiry({ contact: { name: 'A', email: 'a@example.org' }, project: { jobs: 1, investmentEur: 2 } });
    const sealed = sealSubmission(s, seal);
    expect(sealed.contact).not.toHaveProperty('phone');
    expect(sealed.project).toEqual({ jobs: 1, investmentEur: 2 });
  });

  it('opens every token anywhere in an answer, and nothing else', () => {
    const s = enquiry();
    const answer = {
      state: { enquiry: sealSubmission(s, seal) },
      timeline: [{ detail: { note: seal('Eile') } }],
      n: 3,
    };
    expect(holdsSealed(answer)).toBe(true);
    const opened = openSealed(answer, open);
    expect(opened).toEqual({ state: { enquiry: s }, timeline: [{ detail: { note: 'Eile' } }], n: 3 });
    expect(holdsSealed(opened)).toBe(false);
    expect(openSealed(answer, () => erasedLabel('2026-11-24T10:00:00Z')).state.enquiry.contact.email).toBe(
      'gelöscht am 24.11.2026',
    );
  });

  it('dates the erasure in Berlin: just before midnight UTC is the next day there', () => {
    expect(erasedLabel('2026-12-31T23:30:00Z')).toBe('gelöscht am 01.01.2027');
  });
});

describe('the retention of personal data', () => {
  it('counts years and months in the calendar', () => {
    expect(addPeriod(new Date('2026-02-28T10:00:00Z'), 'P2Y').toISOString()).toBe('2028-02-28T10:00:00.000Z');
    expect(addPeriod(new Date('2026-01-15T10:00:00Z'), 'P6M').toISOString()).toBe('2026-07-15T10:00:00.000Z');
    expect(addPeriod(new Date('2026-01-15T10:00:00Z'), 'P1W2DT3H4M5S').toISOString()).toBe('2026-01-24T13:04:05.000Z');
  });

  it('keeps withdrawn enquiries for their own period, others for afterClose', () => {
    const closed = new Date('2026-03-01T00:00:00Z');
    const retention = { afterClose: 'P2Y', afterWithdrawn: 'P3M' };
    expect(erasureDue(closed, 'settled', retention).toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(erasureDue(closed, 'withdrawn', retention).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(erasureDue(closed, 'withdrawn', { afterClose: 'P1Y' }).toISOString()).toBe('2027-03-01T00:00:00.000Z');
    // Without reference data: two years, withdrawn ones six months.
    expect(erasureDue(closed, 'lost').toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(erasureDue(closed, 'withdrawn').toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(shortestPeriodMs(retention, closed)).toBe(92 * 24 * 3600 * 1000);
  });

  it('refuses periods that are not ISO 8601, saying which form it wants', () => {
    for (const bad of ['2 years', 'P', 'PT', 'P2', 'P1YT']) {
      const result = Retention.safeParse({ afterClose: bad });
      expect(result.success, bad).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/ISO 8601 period such as P2Y|at least one amount/);
    }
    expect(Retention.safeParse({ afterClose: 'P2Y', afterWithdrawn: 'PT10S' }).success).toBe(true);
  });
});
