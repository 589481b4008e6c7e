import { describe, expect, it } from 'vitest';
import {
  blankRow,
  earliestDeadline,
  EnquirySummarySchema,
  foldEvent,
  parseEnquiryEvent,
  waitingOn,
  type EnquiryRow,
} from '../../domain/enquiry-row.js';
import type { EnquiryState } from '../../domain/enquiry.js';
import { enquiryEvent, type CloudEvent, type EventType } from '../../domain/events.js';
import { berlinMidnight, calendarYear } from '../../domain/stats.js';
import { summarise, type EnquirySummary } from '../../domain/summary.js';

const ID = 'irl-0123456789abcdef0123';
const t0 = new Date('2026-11-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const ev = (step: number, type: EventType, minutes: number, data: Record<string, unknown> = {}) =>
  enquiryEvent({ enquiryId: ID, step, type, agency: 'irl', time: at(minutes), data });

/** The row after folding the events in the order given. */
function fold(events: CloudEvent[], start?: EnquiryRow): EnquiryRow {
  let row = start;
  for (const event of events) row = foldEvent(row, event);
  if (!row) throw new Error('nothing folded');
  return row;
}

/** Every order of the items. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const summary = (asOf: number, over: Partial<EnquirySummary> = {}): EnquirySummary => ({
  asOf,
  status: 'received',
  kind: 'new_settlement',
  receivedBy: 'irl',
  receivedAt: iso(0),
  responsibleAgency: null,
  agencies: ['irl'],
  handlingAgencies: [],
  leadPartners: [],
  significant: false,
  offices: [],
  deadlines: [],
  outcome: null,
  places: ['14730310'],
  jobs: 120,
  investmentEur: 30_000_000,
  ...over,
});

describe('where an enquiry stands: the newest summary', () => {
  // Three batches, as the workflow publishes them: the events of one batch carry the same summary.
  const s1 = summary(1, {
    responsibleAgency: 'irl',
    handlingAgencies: ['irl'],
  });
  const voteDue = iso(60 * 24 * 10);
  const s2 = summary(2, {
    status: 'awaiting_joint_decision',
    responsibleAgency: 'irl',
    handlingAgencies: ['irl'],
    significant: true,
    offices: [
      { id: 'ob-leipzig', agency: 'irl' },
      { id: 'landrat-nordsachsen', agency: 'wfg-nordsachsen' },
    ],
    deadlines: [
      { kind: 'joint_vote', due: voteDue, who: 'office:ob-leipzig' },
      { kind: 'joint_vote', due: voteDue, who: 'office:landrat-nordsachsen' },
    ],
  });
  const s3 = summary(3, {
    status: 'in_progress',
    responsibleAgency: 'irl',
    agencies: ['irl', 'wfg-nordsachsen'],
    handlingAgencies: ['irl', 'wfg-nordsachsen'],
    leadPartners: ['wfg-nordsachsen'],
    significant: true,
    offices: s2.offices,
  });
  const events = [
    ev(1, 'received', 0, { status: 'received', kind: 'new_settlement', receivedBy: 'irl', summary: s1 }),
    ev(2, 'jurisdiction_determined', 0, { status: 'received', responsibleAgency: 'irl', summary: s1 }),
    ev(3, 'joint_handling_requested', 5, { status: 'awaiting_joint_decision', summary: s2 }),
    ev(4, 'joint_handling_decided', 90, { status: 'awaiting_joint_decision', outcome: 'approve', summary: s3 }),
    ev(5, 'lead_forwarded', 90, {
      status: 'in_progress',
      partner: 'wfg-nordsachsen',
      because: 'joint_handling',
      summary: s3,
    }),
  ];

  it('takes status, agencies, offices and deadlines from the summary with the largest asOf', () => {
    const row = fold(events);
    expect(row.asOf).toBe(3);
    expect(row.status).toBe('in_progress');
    expect(row.agencies).toEqual(['irl', 'wfg-nordsachsen']);
    expect(row.handlingAgencies).toEqual(['irl', 'wfg-nordsachsen']);
    expect(row.offices).toEqual(['irl:ob-leipzig', 'wfg-nordsachsen:landrat-nordsachsen']);
    expect(row.deadlines).toEqual([]);
    expect(row.updatedAt).toBe(iso(90));
  });

  it('never goes back to an older status: a smaller asOf arriving later changes nothing of where it stands', () => {
    const newest = fold(events);
    const late = fold([ev(6, 'reminder_due', 100, { status: 'awaiting_joint_decision', summary: s2 })], newest);
    expect(late.asOf).toBe(3);
    expect(late.status).toBe('in_progress');
    expect(late.agencies).toEqual(['irl', 'wfg-nordsachsen']);
    expect(late.deadlines).toEqual([]);
    expect(late.offices).toEqual(newest.offices);
    expect(late.significant).toBe(true);
    // A closed enquiry stays closed when an event of an earlier batch turns up.
    const closed = fold([
      ev(9, 'status_changed', 200, { status: 'closed', summary: summary(5, { status: 'closed' }) }),
    ]);
    expect(fold([ev(8, 'status_changed', 100, { status: 'in_progress', summary: summary(4) })], closed).status).toBe(
      'closed',
    );
  });

  it('while a newer summary does move it on', () => {
    const voting = fold(events.slice(0, 3));
    expect(voting.status).toBe('awaiting_joint_decision');
    expect(voting.deadlines).toEqual(s2.deadlines);
    expect(waitingOn(voting)).toEqual(['office:ob-leipzig', 'office:landrat-nordsachsen']);
    expect(fold(events.slice(3), voting).status).toBe('in_progress');
  });

  it('ends in the same row whatever order the events arrive in', () => {
    const inOrder = fold(events);
    const orders = permutations(events);
    expect(orders).toHaveLength(120);
    for (const order of orders) expect(fold(order)).toEqual(inOrder);
  });

  it('does not change the row it was given (pure)', () => {
    const before = fold(events.slice(0, 3));
    const copy = structuredClone(before);
    fold(events.slice(3), before);
    expect(before).toEqual(copy);
  });
});

describe('facts: each event folded adds its own', () => {
  const received = ev(1, 'received', 0, { status: 'received', receivedBy: 'irl', kind: 'expansion' });

  it('counts a lead forwarded by a decision; joint handling adds a partner but is no forwarding', () => {
    const row = fold([
      received,
      ev(2, 'lead_forwarded', 1, { partner: 'wfg-nordsachsen', because: 'joint_handling' }),
      ev(3, 'lead_forwarded', 2, { partner: 'img', because: 'decision' }),
      ev(4, 'lead_forwarded', 3, { partner: 'img', because: 'consent' }),
      ev(5, 'lead_forwarded', 4, { partner: 'wfs', because: 'decision' }),
    ]);
    expect(row.leads.forwarded).toBe(2);
    expect(row.jointPartners).toEqual(['wfg-nordsachsen']);
    expect(row.leadPartners).toEqual(['wfg-nordsachsen', 'img', 'wfs']);
  });

  it('counts nothing for a lead forwarded without a partner', () => {
    const row = fold([received, ev(2, 'lead_forwarded', 1, { because: 'decision' })]);
    expect(row.leads.forwarded).toBe(0);
    expect(row.leadPartners).toEqual([]);
  });

  it('counts answers and expiries of leads, each event once', () => {
    const row = fold([
      received,
      ev(2, 'lead_forwarded', 1, { partner: 'img', because: 'decision' }),
      ev(3, 'lead_declined', 2, { partner: 'img' }),
      ev(4, 'lead_forwarded', 3, { partner: 'wfs', because: 'decision' }),
      ev(5, 'lead_expired', 4, { partner: 'wfs' }),
      ev(6, 'lead_forwarded', 5, { partner: 'wfg-nordsachsen', because: 'decision' }),
      ev(7, 'lead_declined', 6, { partner: 'wfg-nordsachsen' }),
      ev(8, 'lead_forwarded', 7, { partner: 'wfg-leipzig', because: 'decision' }),
      ev(9, 'lead_accepted', 8, { partner: 'wfg-leipzig' }),
    ]);
    expect(row.leads).toEqual({ forwarded: 4, accepted: 1, declined: 2, expired: 1 });
  });

  it('marks a forwarding asked for, and a vote asked for as significant', () => {
    const plain = fold([received]);
    expect(plain.forwardingRequested).toBe(false);
    expect(plain.significant).toBe(false);
    expect(fold([received, ev(2, 'forwarding_requested', 1)]).forwardingRequested).toBe(true);
    const asked = fold([received, ev(2, 'joint_handling_requested', 1)]);
    expect(asked.significant).toBe(true);
    expect(asked.joint).toBe(false);
  });

  it('marks joint handling only when the vote approved it', () => {
    const requested = ev(2, 'joint_handling_requested', 1);
    expect(fold([received, requested, ev(3, 'joint_handling_decided', 2, { outcome: 'approve' })]).joint).toBe(true);
    expect(fold([received, requested, ev(3, 'joint_handling_decided', 2, { outcome: 'reject' })]).joint).toBe(false);
  });

  it('keeps what the receipt says: who received it, when, what kind', () => {
    const row = fold([ev(2, 'jurisdiction_determined', 3, { responsibleAgency: 'wfg-nordsachsen' }), received]);
    expect(row.receivedBy).toBe('irl');
    expect(row.receivedAt).toBe(iso(0));
    expect(row.kind).toBe('expansion');
    expect(row.responsibleAgency).toBe('wfg-nordsachsen');
  });

  it('keeps the earliest time of each decision, even when a later one is folded first', () => {
    const row = fold([
      ev(9, 'lead_declined', 40, { partner: 'wfs' }),
      ev(2, 'jurisdiction_determined', 1, { responsibleAgency: 'irl' }),
      ev(5, 'lead_declined', 20, { partner: 'img' }),
      ev(12, 'closed', 90, { status: 'closed', outcome: 'lost' }),
      received,
      ev(3, 'lead_forwarded', 10, { partner: 'img', because: 'decision' }),
    ]);
    expect(row.firstAt).toEqual({ jurisdiction_determined: iso(1), lead_declined: iso(20), closed: iso(90) });
    expect(row.updatedAt).toBe(iso(90));
    // And the other way round: a later decision folded after an earlier one leaves the earlier one.
    const declines = [ev(5, 'lead_declined', 20, { partner: 'img' }), ev(9, 'lead_declined', 40, { partner: 'wfs' })];
    expect(fold(declines).firstAt).toEqual({ lead_declined: iso(20) });
    expect(fold([...declines].reverse()).firstAt).toEqual({ lead_declined: iso(20) });
  });

  it('takes outcome, handling agencies and project figures from the close', () => {
    const row = fold([
      received,
      ev(7, 'closed', 60, {
        status: 'closed',
        outcome: 'settled',
        handlingAgencies: ['irl', 'wfg-nordsachsen'],
        jobs: 400,
        investmentEur: 25_000_000,
      }),
    ]);
    expect(row.outcome).toBe('settled');
    expect(row.handlingAgencies).toEqual(['irl', 'wfg-nordsachsen']);
    expect(row.jobs).toBe(400);
    expect(row.investmentEur).toBe(25_000_000);
    expect(row.status).toBe('closed');
  });
});

describe('enquiries started before 1.1 (no summary)', () => {
  const events = [
    ev(1, 'received', 0, { status: 'received', receivedBy: 'wfs', kind: 'relocation' }),
    ev(2, 'jurisdiction_determined', 1, { status: 'received', responsibleAgency: 'irl' }),
    ev(3, 'sites_proposed', 2, { status: 'in_progress' }),
    ev(4, 'forwarding_requested', 3, { status: 'awaiting_forwarding_decision' }),
    ev(5, 'lead_forwarded', 4, { status: 'awaiting_partner', partner: 'wfg-nordsachsen', because: 'decision' }),
  ];

  it('takes the status of the event with the highest step, whatever order they arrive in', () => {
    for (const order of [events, [...events].reverse(), [events[4]!, events[0]!, events[2]!, events[1]!]]) {
      const row = fold(order);
      expect(row.asOf).toBe(0);
      expect(row.status).toBe('awaiting_partner');
      expect(row.lastStep).toBe(5);
    }
    expect(fold(events.slice(0, 3)).status).toBe('in_progress');
  });

  it('takes its agencies from the receiver, the responsible agency and the lead partners', () => {
    for (const order of [events, [...events].reverse()]) {
      expect([...fold(order).agencies].sort()).toEqual(['irl', 'wfg-nordsachsen', 'wfs']);
    }
    expect(fold(events.slice(0, 2)).agencies).toEqual(['wfs', 'irl']);
  });

  it('adds the handling agencies of the close, and its status is closed', () => {
    const closed = ev(6, 'closed', 60, { status: 'closed', outcome: 'settled', handlingAgencies: ['irl', 'img'] });
    const row = fold([closed, ...events]);
    expect(row.status).toBe('closed');
    expect([...row.agencies].sort()).toEqual(['img', 'irl', 'wfg-nordsachsen', 'wfs']);
  });

  it('gives way to the first summary that comes', () => {
    const row = fold([...events, ev(6, 'lead_accepted', 5, { status: 'in_progress', summary: summary(1) })]);
    expect(row.asOf).toBe(1);
    expect(row.status).toBe('received');
    expect(row.agencies).toEqual(['irl']);
    // Facts still count.
    expect(row.leads).toEqual({ forwarded: 1, accepted: 1, declined: 0, expired: 0 });
  });
});

describe('bad data', () => {
  it('ignores fields of the wrong type instead of throwing', () => {
    const bad = [
      ev(1, 'received', 0, { status: 7, receivedBy: 42, kind: ['new_settlement'] }),
      ev(2, 'jurisdiction_determined', 1, { status: 'received', responsibleAgency: { id: 'irl' } }),
      ev(3, 'lead_forwarded', 2, { status: 'awaiting_partner', partner: 5, because: 'decision' }),
      ev(4, 'closed', 3, { status: 'closed', outcome: 3, jobs: '400', investmentEur: null }),
    ];
    const row = fold(bad);
    expect(row.receivedBy).toBe('');
    expect(row.kind).toBeNull();
    expect(row.responsibleAgency).toBeNull();
    expect(row.leads.forwarded).toBe(0);
    expect(row.leadPartners).toEqual([]);
    expect(row.outcome).toBeNull();
    expect(row.jobs).toBeNull();
    expect(row.investmentEur).toBeNull();
    expect(row.agencies).toEqual([]);
    expect(row.status).toBe('closed');
    // A status of the wrong type moves nothing.
    expect(fold([ev(1, 'received', 0, { status: 7 })]).status).toBe('received');
  });

  it('ignores a handlingAgencies of the wrong type too', () => {
    const good = ev(6, 'closed', 60, { status: 'closed', handlingAgencies: ['irl', 'img'] });
    const bad = ev(7, 'closed', 61, { status: 'closed', handlingAgencies: 'irl' });
    expect(fold([good, bad]).handlingAgencies).toEqual(['irl', 'img']);
  });

  it('ignores an invalid summary, and folds the event as if it had none', () => {
    const invalid = [
      { ...summary(9), status: 5 },
      { ...summary(9), asOf: 0 },
      { ...summary(9), asOf: 1.5 },
      { ...summary(9), receivedAt: 'yesterday' },
      { ...summary(9), deadlines: [{ kind: 'x', due: iso(1) }] },
      'closed',
    ];
    for (const s of invalid) {
      const row = fold([ev(1, 'received', 0, { status: 'received', receivedBy: 'irl', summary: s })]);
      expect(row.asOf).toBe(0);
      expect(row.agencies).toEqual(['irl']);
    }
    // After a valid summary: an invalid one with a larger asOf neither applies nor blocks the next valid one.
    const valid = fold([ev(1, 'received', 0, { summary: summary(2, { status: 'in_progress' }) })]);
    const after = fold(
      [ev(2, 'sites_proposed', 1, { summary: { ...summary(9, { status: 'closed' }), jobs: 'x' } })],
      valid,
    );
    expect(after.asOf).toBe(2);
    expect(after.status).toBe('in_progress');
    expect(fold([ev(3, 'sites_proposed', 2, { summary: summary(3, { status: 'closed' }) })], after).status).toBe(
      'closed',
    );
  });
});

describe('parseEnquiryEvent', () => {
  const good = ev(1, 'received', 0, { status: 'received', receivedBy: 'irl' });

  it('returns a valid enquiry event as it is', () => {
    expect(parseEnquiryEvent(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });

  it('returns null for a type that is no enquiry event', () => {
    expect(parseEnquiryEvent({ ...good, type: 'de.lotse.enquiry.placeholder.v1' })).toBeNull();
    expect(parseEnquiryEvent({ ...good, type: 'de.lotse.enquiry.received.v2' })).toBeNull();
    expect(parseEnquiryEvent({ ...good, type: 'com.example.received.v1' })).toBeNull();
  });

  it('returns null for an invalid envelope', () => {
    const { id: _id, ...noId } = good;
    for (const bad of [
      noId,
      { ...good, specversion: '0.3' },
      { ...good, time: 'yesterday' },
      { ...good, source: 'https://example.org' },
      { ...good, subject: '' },
      { ...good, data: 'x' },
      { ...good, data: null },
      null,
      'received',
      42,
    ]) {
      expect(parseEnquiryEvent(bad)).toBeNull();
    }
  });
});

describe('who must act and by when', () => {
  const deadlines = [
    { kind: 'forwarding_decision', due: '2026-11-20T16:00:00.000Z', who: 'staff:irl' },
    { kind: 'joint_vote', due: '2026-11-12T16:00:00.000Z', who: 'office:ob-leipzig' },
    { kind: 'forwarding_decision_escalated', due: '2026-11-15T16:00:00.000Z', who: 'staff:irl' },
  ];

  it('names each who once, and the earliest deadline', () => {
    expect(waitingOn({ deadlines })).toEqual(['staff:irl', 'office:ob-leipzig']);
    expect(earliestDeadline({ deadlines })).toBe('2026-11-12T16:00:00.000Z');
  });

  it('names nobody and no deadline when none is open', () => {
    expect(waitingOn(blankRow(ID, iso(0)))).toEqual([]);
    expect(earliestDeadline(blankRow(ID, iso(0)))).toBeNull();
  });
});

describe('summarise', () => {
  const company = 'Glaswerk Beispiel GmbH';
  const contact = { name: 'Erika Mustermann', email: 'erika.mustermann@example.org', phone: '+49 341 1234567' };
  const state = (over: Partial<EnquiryState> = {}): EnquiryState => ({
    enquiryId: ID,
    status: 'awaiting_partner',
    kind: 'new_settlement',
    receivedBy: 'wfs',
    receivedAt: '2026-11-23T09:00:00.000Z',
    responsibleAgency: 'irl',
    jurisdiction: { responsibleAgency: 'irl', rule: 'most_specific_coverage', location: '14730310' },
    handlingAgencies: ['irl', 'wfg-nordsachsen'],
    matchedSites: [],
    unmatchedSites: [],
    forwarding: {
      candidates: [{ agency: 'wfg-leipzig', agreementId: 'leipzig-region', bestScore: 0.8, sites: [] }],
      decision: null,
      escalated: false,
      offers: [
        {
          partner: 'img',
          offeredAt: '2026-11-24T09:00:00.000Z',
          respondBy: '2026-12-01T09:00:00.000Z',
          answer: 'declined',
          answeredAt: '2026-11-25T09:00:00.000Z',
          actor: 'user:anna@img',
        },
        {
          partner: 'wfs',
          offeredAt: '2026-11-25T10:00:00.000Z',
          respondBy: '2026-12-02T10:00:00.000Z',
          answer: null,
          answeredAt: null,
          actor: null,
        },
      ],
      suggestion: null,
    },
    jointHandling: {
      agreementId: 'irl-wfg-nordsachsen',
      parties: ['irl', 'wfg-nordsachsen'],
      offices: [
        { id: 'ob-leipzig', title: 'Oberbürgermeister', agency: 'irl' },
        { id: 'landrat-nordsachsen', title: 'Landrat', agency: 'wfg-nordsachsen' },
      ],
      rule: 'all',
      status: 'approved',
      reached: ['jobs'],
      flaggedBy: null,
      votes: [],
      due: null,
    },
    deadlines: [{ kind: 'partner_answer', due: '2026-12-02T10:00:00.000Z', who: 'staff:wfs' }],
    outcome: null,
    consent: null,
    enquiry: {
      externalRef: 'web-4711',
      kind: 'new_settlement',
      company: { name: company, sector: 'C23.1', country: 'DE' },
      contact,
      project: { jobs: 120, investmentEur: 30_000_000, description: 'Floatglas-Linie' },
      siteRequirements: { areaM2Min: 20_000, areaM2Max: 60_000, zoning: ['GI', 'GE'], railAccess: true },
      preferredLocations: ['14730310', '14713'],
      confidential: true,
      consentToShare: false,
    },
    ...over,
  });

  it('gives where the enquiry stands', () => {
    expect(summarise(state(), 7)).toEqual({
      asOf: 7,
      status: 'awaiting_partner',
      kind: 'new_settlement',
      receivedBy: 'wfs',
      receivedAt: '2026-11-23T09:00:00.000Z',
      responsibleAgency: 'irl',
      // Offered partners take part; a candidate not offered the lead (wfg-leipzig) does not.
      agencies: ['wfs', 'irl', 'wfg-nordsachsen', 'img'],
      handlingAgencies: ['irl', 'wfg-nordsachsen'],
      leadPartners: ['img', 'wfs', 'wfg-nordsachsen'],
      significant: true,
      offices: [
        { id: 'ob-leipzig', agency: 'irl' },
        { id: 'landrat-nordsachsen', agency: 'wfg-nordsachsen' },
      ],
      deadlines: [{ kind: 'partner_answer', due: '2026-12-02T10:00:00.000Z', who: 'staff:wfs' }],
      outcome: null,
      places: ['14730310', '14713'],
      jobs: 120,
      investmentEur: 30_000_000,
      assignees: {},
      source: null,
      proposedPlaces: [],
    });
  });

  it('says where it came from and where the sites proposed to it lie, each site once', () => {
    const site = (siteId: string, agency: string, ags?: string) => ({
      siteId,
      agency,
      name: siteId,
      areaM2: 1,
      score: 1,
      ags,
    });
    const s = state({
      enquiry: { ...state().enquiry, source: { channel: 'campaign_page', measure: 'RB-NOS-1' } },
      matchedSites: [site('torgau-gi', 'wfg-nordsachsen', '14730310'), site('old', 'irl')],
    });
    const partner = {
      agency: 'wfg-nordsachsen',
      agreementId: 'x',
      bestScore: 1,
      sites: [site('torgau-gi', 'wfg-nordsachsen', '14730310'), site('oschatz-gi', 'wfg-nordsachsen', '14730230')],
    };
    const summary = summarise({ ...s, forwarding: { ...s.forwarding!, candidates: [partner] } }, 1);
    expect(summary.source).toEqual({ channel: 'campaign_page', measure: 'RB-NOS-1' });
    // A site assessed before 1.2 has no ags: not counted in any area.
    expect(summary.proposedPlaces).toEqual(['14730310', '14730230']);
  });

  it('names who has the task per agency, by subject alone', () => {
    const by = 'user:anna@irl';
    const assignees = { irl: { sub: 'anna', at: '2026-11-24T08:00:00.000Z', by } };
    expect(summarise(state({ assignees }), 8).assignees).toEqual({ irl: 'anna' });
  });

  it('names the offices only once a vote was asked for', () => {
    const jh = state().jointHandling!;
    const notAsked = summarise(state({ jointHandling: { ...jh, status: 'not_requested' } }), 1);
    expect(notAsked.offices).toEqual([]);
    expect(notAsked.significant).toBe(false);
    // Not approved: no joint partner among the lead partners.
    expect(notAsked.leadPartners).toEqual(['img', 'wfs']);
    const voting = summarise(state({ jointHandling: { ...jh, status: 'voting' } }), 1);
    expect(voting.offices.map((o) => o.id)).toEqual(['ob-leipzig', 'landrat-nordsachsen']);
    expect(voting.significant).toBe(true);
    const rejected = summarise(state({ jointHandling: { ...jh, status: 'rejected' } }), 1);
    expect(rejected.offices).toHaveLength(2);
    expect(summarise(state({ jointHandling: null }), 1)).toMatchObject({ offices: [], significant: false });
  });

  it('has no lead partners, no places without an offer, a joint handling or a preferred location', () => {
    const bare = state({ forwarding: null, jointHandling: null });
    bare.enquiry = { ...bare.enquiry, preferredLocations: undefined };
    const s = summarise(bare, 1);
    expect(s.leadPartners).toEqual([]);
    expect(s.places).toEqual([]);
    expect(s.agencies).toEqual(['wfs', 'irl', 'wfg-nordsachsen']);
  });

  it('carries no firm name and no contact', () => {
    const raw = JSON.stringify(summarise(state(), 3));
    expect(raw).toContain('wfg-nordsachsen');
    for (const secret of [company, 'Glaswerk', contact.name, 'Mustermann', contact.email, contact.phone]) {
      expect(raw).not.toContain(secret);
    }
  });

  it('copies the state, so that later changes to it do not change the summary', () => {
    const s = state();
    const summarised = summarise(s, 1);
    s.handlingAgencies.push('img');
    s.enquiry.preferredLocations!.push('14');
    expect(summarised.handlingAgencies).toEqual(['irl', 'wfg-nordsachsen']);
    expect(summarised.places).toEqual(['14730310', '14713']);
  });

  it('is what the read model accepts and folds into the row', () => {
    const s = summarise(state(), 4);
    expect(EnquirySummarySchema.safeParse(JSON.parse(JSON.stringify(s))).success).toBe(true);
    const row = fold([ev(9, 'lead_forwarded', 30, { partner: 'wfs', because: 'decision', summary: s })]);
    expect(row).toMatchObject({
      asOf: 4,
      status: 'awaiting_partner',
      receivedBy: 'wfs',
      responsibleAgency: 'irl',
      agencies: ['wfs', 'irl', 'wfg-nordsachsen', 'img'],
      offices: ['irl:ob-leipzig', 'wfg-nordsachsen:landrat-nordsachsen'],
      places: ['14730310', '14713'],
      significant: true,
    });
    expect(waitingOn(row)).toEqual(['staff:wfs']);
    expect(earliestDeadline(row)).toBe('2026-12-02T10:00:00.000Z');
  });
});

describe('the default period', () => {
  it('is the calendar year in Berlin', () => {
    expect(calendarYear(new Date('2026-11-23T12:00:00Z'))).toEqual({
      from: new Date('2025-12-31T23:00:00Z'),
      to: new Date('2026-12-31T23:00:00Z'),
    });
    // 23:30 UTC on 31 December is already the new year in Berlin.
    expect(calendarYear(new Date('2026-12-31T23:30:00Z')).from).toEqual(new Date('2026-12-31T23:00:00Z'));
  });
});

describe('a day as the filters read it', () => {
  it('begins at midnight in Berlin, in winter and in summer', () => {
    expect(berlinMidnight('2026-12-31').toISOString()).toBe('2026-12-30T23:00:00.000Z');
    expect(berlinMidnight('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // The day the clocks go forward began in winter time.
    expect(berlinMidnight('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(berlinMidnight('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });
});
