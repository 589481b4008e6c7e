import { describe, expect, it } from 'vitest';
import { deliverable } from '../../infra/webhook-post.js';
import { codeName, leadFor, stateFor } from '../../domain/redaction.js';
import type { EnquiryState } from '../../domain/enquiry.js';
import { enquiry } from '../harness.js';

describe('lead webhooks go only where they may', () => {
  it.each([
    ['https://crm.wfg-nordsachsen.de/lotse', [], true],
    ['http://crm.wfg-nordsachsen.de/lotse', [], false],
    ['http://169.254.169.254/latest/meta-data', [], false],
    ['http://127.0.0.1:8080/leads', ['http://127.0.0.1:8080/'], true],
    ['http://127.0.0.1:9090/admin', ['http://127.0.0.1:8080/'], false],
    ['file:///etc/passwd', [], false],
    ['not a url', [], false],
  ])('%s (allowlist %j) → %s', (url, allowlist, ok) => expect(deliverable(url, allowlist)).toBe(ok));
});

describe('what a partner sees', () => {
  const submission = enquiry();
  const state: EnquiryState = {
    enquiryId: 'irl-0123456789abcdef0123',
    status: 'awaiting_partner',
    kind: 'new_settlement',
    receivedBy: 'irl',
    receivedAt: '2026-11-21T10:00:00.000Z',
    responsibleAgency: 'irl',
    jurisdiction: null,
    handlingAgencies: ['irl'],
    matchedSites: [],
    unmatchedSites: [{ siteId: 'le-1', agency: 'irl', reasons: ['too_small'] }],
    forwarding: {
      candidates: [
        { agency: 'wfg-nordsachsen', agreementId: 'a', bestScore: 80, sites: [] },
        { agency: 'img', agreementId: 'b', bestScore: 70, sites: [] },
      ],
      decision: {
        decision: 'approve',
        partners: ['wfg-nordsachsen', 'img'],
        actor: 'user:anna@irl',
        at: '2026-11-21T10:01:00.000Z',
      },
      escalated: false,
      offers: [
        {
          partner: 'img',
          offeredAt: '2026-11-21T10:01:00.000Z',
          respondBy: '2026-11-26T10:01:00.000Z',
          answer: null,
          answeredAt: null,
          actor: null,
        },
      ],
      suggestion: null,
    },
    jointHandling: null,
    deadlines: [],
    outcome: null,
    enquiry: submission,
  };

  it('gives a stable code name', () => {
    expect(codeName(state.enquiryId)).toBe(codeName(state.enquiryId));
    expect(codeName(state.enquiryId)).toMatch(/^Projekt [A-ZÄÖÜ][a-zäöü]+-[0-9A-F]{4}$/);
    expect(codeName('irl-ffffffffffffffffffff')).not.toBe(codeName(state.enquiryId));
  });

  it('withholds contact, firm name and description of a confidential enquiry without consent', () => {
    const lead = leadFor(state, 'img', state.forwarding!.offers[0]!);
    const text = JSON.stringify(lead);
    for (const secret of [
      submission.contact.email,
      submission.contact.name,
      submission.contact.phone!,
      submission.company.name,
      submission.project.description!,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lead).toMatchObject({
      released: false,
      contact: null,
      company: { name: codeName(state.enquiryId), sector: submission.company.sector },
    });
  });

  it('releases everything after consent, or when the enquiry is not confidential', () => {
    for (const e of [
      { ...submission, consentToShare: true },
      { ...submission, confidential: false },
    ]) {
      const lead = leadFor({ ...state, enquiry: e }, 'img', state.forwarding!.offers[0]!);
      expect(lead).toMatchObject({
        released: true,
        codeName: null,
        contact: submission.contact,
        company: submission.company,
      });
    }
  });

  it('shows a partner only its own part of the forwarding', () => {
    const view = stateFor(state, 'img');
    expect(view.forwarding!.candidates.map((c) => c.agency)).toEqual(['img']);
    expect(view.forwarding!.decision!.partners).toEqual(['img']);
    expect(view.unmatchedSites).toEqual([]);
    expect(view.enquiry.contact.email).not.toBe(submission.contact.email);
    expect(stateFor(state, 'irl')).toBe(state);
  });
});
