import { describe, expect, it } from 'vitest';
import {
  refuseAssignment,
  refuseClose,
  refuseConsent,
  refuseFlag,
  refuseForwardingDecision,
  refuseLeadAnswer,
  refuseVote,
  type Actor,
} from '../../domain/decisions.js';
import { EnquiryStatus, type Forwarding, type Offer } from '../../domain/enquiry.js';
import { enquiry } from '../harness.js';
import { enquiryState, jointHandling } from './states.js';

/** Every refusal rule of every decision, in every state that matters. */

const STATUSES = EnquiryStatus.options;

const actor = (agency: string, roles: string[] = ['staff'], offices: string[] = []): Actor => ({
  sub: 'x',
  agency,
  roles,
  offices,
});
const offer = (partner: string, answer: Offer['answer'] = null): Offer => ({
  partner,
  offeredAt: '2026-11-23T10:00:00.000Z',
  respondBy: '2026-11-28T10:00:00.000Z',
  answer,
  answeredAt: null,
  actor: null,
});
const forwarding = (over: Partial<Forwarding> = {}): Forwarding => ({
  candidates: [
    { agency: 'wfg-nordsachsen', agreementId: 'irl-wfg-nordsachsen', bestScore: 0.9, sites: [] },
    { agency: 'img', agreementId: 'x', bestScore: 0.5, sites: [] },
  ],
  decision: null,
  escalated: false,
  offers: [],
  suggestion: null,
  ...over,
});
const joint = jointHandling;
const state = enquiryState;
const kind = (r: { kind: string } | null) => r?.kind ?? 'allowed';

describe('forwarding decision', () => {
  const waiting = state({ status: 'awaiting_forwarding_decision', forwarding: forwarding() });
  const approve = { decision: 'approve' as const };
  it('is for staff of the responsible agency', () => {
    expect(kind(refuseForwardingDecision(waiting, approve, actor('irl')))).toBe('allowed');
    expect(kind(refuseForwardingDecision(waiting, approve, actor('wfg-nordsachsen')))).toBe('forbidden');
    expect(kind(refuseForwardingDecision(waiting, approve, actor('irl', [])))).toBe('forbidden');
  });
  it('lets managers decide only once it is overdue', () => {
    expect(kind(refuseForwardingDecision(waiting, approve, actor('irl', ['manager'])))).toBe('forbidden');
    const overdue = state({ ...waiting, forwarding: forwarding({ escalated: true }) });
    expect(kind(refuseForwardingDecision(overdue, approve, actor('irl', ['manager'])))).toBe('allowed');
    expect(refuseForwardingDecision(waiting, approve, actor('irl', ['manager']))?.message).not.toContain('overdue');
  });
  it.each(STATUSES.filter((s) => s !== 'awaiting_forwarding_decision'))('is out of turn while %s', (status) => {
    expect(kind(refuseForwardingDecision(state({ status, forwarding: forwarding() }), approve, actor('irl')))).toBe(
      'conflict',
    );
  });
  it('is taken once', () => {
    const decided = forwarding({
      decision: { decision: 'reject', partners: [], actor: 'a', at: '2026-11-23T10:00:00Z' },
    });
    const r = refuseForwardingDecision(state({ ...waiting, forwarding: decided }), approve, actor('irl'));
    expect(r).toMatchObject({ kind: 'conflict', message: expect.stringContaining('already decided') });
  });
  it('names only candidates, each once, and at least one to approve', () => {
    const d = (partners: string[], decision: 'approve' | 'reject' = 'approve') =>
      kind(refuseForwardingDecision(waiting, { decision, partners }, actor('irl')));
    expect(d(['wfg-nordsachsen', 'img'])).toBe('allowed');
    expect(d(['leg'])).toBe('invalid');
    expect(d(['img', 'img'])).toBe('invalid');
    expect(d([])).toBe('invalid');
    expect(d([], 'reject')).toBe('allowed');
  });
});

describe('vote', () => {
  const voting = state({ status: 'awaiting_joint_decision', jointHandling: joint() });
  it('needs the office in the token, of the office’s own agency', () => {
    expect(kind(refuseVote(voting, 'ob-leipzig', actor('irl', [], ['ob-leipzig'])))).toBe('allowed');
    expect(kind(refuseVote(voting, 'ob-leipzig', actor('irl', ['staff'])))).toBe('forbidden');
    expect(kind(refuseVote(voting, 'ob-leipzig', actor('wfg-nordsachsen', [], ['ob-leipzig'])))).toBe('forbidden');
  });
  it('is only for offices that vote on this enquiry', () => {
    expect(kind(refuseVote(voting, 'landrat-x', actor('irl', [], ['landrat-x'])))).toBe('forbidden');
    expect(kind(refuseVote(state(), 'ob-leipzig', actor('irl', [], ['ob-leipzig'])))).toBe('forbidden');
  });
  it.each(['not_requested', 'approved', 'rejected'] as const)('is out of turn while the vote is %s', (status) => {
    const s = state({ jointHandling: joint({ status }) });
    expect(kind(refuseVote(s, 'ob-leipzig', actor('irl', [], ['ob-leipzig'])))).toBe('conflict');
  });
  it('is cast once per office', () => {
    const vote = { office: 'ob-leipzig', decision: 'approve' as const, actor: 'a', at: '2026-11-23T10:00:00Z' };
    const s = state({ jointHandling: joint({ votes: [vote] }) });
    expect(kind(refuseVote(s, 'ob-leipzig', actor('irl', [], ['ob-leipzig'])))).toBe('conflict');
    expect(kind(refuseVote(s, 'landrat-nordsachsen', actor('wfg-nordsachsen', [], ['landrat-nordsachsen'])))).toBe(
      'allowed',
    );
  });
});

describe('flag for joint handling', () => {
  const open = state({ jointHandling: joint({ status: 'not_requested' }) });
  it('needs an agreement with joint handling', () => {
    expect(kind(refuseFlag(state(), actor('irl')))).toBe('conflict');
  });
  it('is for staff of a party', () => {
    expect(kind(refuseFlag(open, actor('irl')))).toBe('allowed');
    expect(kind(refuseFlag(open, actor('wfg-nordsachsen')))).toBe('allowed');
    expect(kind(refuseFlag(open, actor('leg')))).toBe('forbidden');
    expect(kind(refuseFlag(open, actor('irl', ['manager'])))).toBe('forbidden');
  });
  it('is once, and not while or after a vote', () => {
    expect(
      kind(refuseFlag(state({ jointHandling: joint({ status: 'not_requested', flaggedBy: 'a' }) }), actor('irl'))),
    ).toBe('conflict');
    for (const status of ['voting', 'approved', 'rejected'] as const) {
      expect(kind(refuseFlag(state({ jointHandling: joint({ status }) }), actor('irl')))).toBe('conflict');
    }
  });
  it.each(STATUSES.filter((s) => s !== 'in_progress'))('is out of turn while %s', (status) => {
    expect(kind(refuseFlag(state({ ...open, status }), actor('irl')))).toBe('conflict');
  });
  it('is out of turn once a partner took the lead', () => {
    const handedOn = state({ ...open, forwarding: forwarding({ offers: [offer('wfg-nordsachsen', 'accepted')] }) });
    expect(refuseFlag(handedOn, actor('irl'))).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('partner'),
    });
  });
});

describe('answer to a lead', () => {
  const offered = state({ status: 'awaiting_partner', forwarding: forwarding({ offers: [offer('wfg-nordsachsen')] }) });
  it('is for staff of the partner the lead is offered to', () => {
    expect(kind(refuseLeadAnswer(offered, actor('wfg-nordsachsen')))).toBe('allowed');
    expect(kind(refuseLeadAnswer(offered, actor('img')))).toBe('forbidden');
    expect(kind(refuseLeadAnswer(offered, actor('wfg-nordsachsen', ['manager'])))).toBe('forbidden');
  });
  it('needs an open offer', () => {
    const answered = state({ ...offered, forwarding: forwarding({ offers: [offer('wfg-nordsachsen', 'declined')] }) });
    expect(kind(refuseLeadAnswer(answered, actor('wfg-nordsachsen')))).toBe('conflict');
    expect(kind(refuseLeadAnswer(state(), actor('wfg-nordsachsen')))).toBe('conflict');
  });
  it.each(STATUSES.filter((s) => s !== 'awaiting_partner'))('is out of turn while %s', (status) => {
    expect(kind(refuseLeadAnswer(state({ ...offered, status }), actor('wfg-nordsachsen')))).toBe('conflict');
  });
});

describe('consent', () => {
  it('is recorded by staff of the responsible agency', () => {
    expect(kind(refuseConsent(state(), actor('irl')))).toBe('allowed');
    expect(kind(refuseConsent(state(), actor('wfg-nordsachsen')))).toBe('forbidden');
    expect(kind(refuseConsent(state(), actor('irl', ['manager'])))).toBe('forbidden');
  });
  it.each(STATUSES.filter((s) => s !== 'closed'))('may be recorded while %s', (status) => {
    expect(kind(refuseConsent(state({ status }), actor('irl')))).toBe('allowed');
  });
  it('not once closed, and once only', () => {
    expect(kind(refuseConsent(state({ status: 'closed' }), actor('irl')))).toBe('conflict');
    expect(kind(refuseConsent(state({ enquiry: { ...enquiry(), consentToShare: true } }), actor('irl')))).toBe(
      'conflict',
    );
  });
});

describe('close', () => {
  it('is for staff of a handling agency', () => {
    const joint = state({ handlingAgencies: ['irl', 'wfg-nordsachsen'] });
    expect(kind(refuseClose(joint, actor('wfg-nordsachsen')))).toBe('allowed');
    expect(kind(refuseClose(joint, actor('irl')))).toBe('allowed');
    expect(kind(refuseClose(state({ handlingAgencies: ['wfg-nordsachsen'] }), actor('irl')))).toBe('forbidden');
    expect(kind(refuseClose(joint, actor('irl', ['manager'])))).toBe('forbidden');
  });
  it.each(STATUSES.filter((s) => s !== 'in_progress'))('is out of turn while %s', (status) => {
    expect(kind(refuseClose(state({ status }), actor('irl')))).toBe('conflict');
  });
});

describe('taking a task', () => {
  it('is for staff of an agency the enquiry waits on or that handles it, while it is open', () => {
    const waiting = state({
      status: 'awaiting_partner',
      forwarding: forwarding({ offers: [offer('wfg-nordsachsen')] }),
    });
    expect(kind(refuseAssignment(waiting, actor('irl')))).toBe('allowed');
    expect(kind(refuseAssignment(waiting, actor('wfg-nordsachsen')))).toBe('allowed');
    expect(kind(refuseAssignment(waiting, actor('img')))).toBe('forbidden');
    expect(kind(refuseAssignment(waiting, actor('irl', ['manager'])))).toBe('forbidden');
    const answered = state({ forwarding: forwarding({ offers: [offer('wfg-nordsachsen', 'declined')] }) });
    expect(kind(refuseAssignment(answered, actor('wfg-nordsachsen')))).toBe('forbidden');
    expect(kind(refuseAssignment(state({ status: 'closed' }), actor('irl')))).toBe('conflict');
  });
});
