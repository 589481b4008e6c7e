import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseVote } from '../../domain/decisions.js';
import type { EnquiryState, JointHandling } from '../../domain/enquiry.js';
import { officesHeldBy } from '../../domain/offices.js';
import { AgreementsFile } from '../../domain/reference.js';
import { canSee, mayReadRawHistory } from '../../domain/visibility.js';
import { enquiryState, jointHandling } from './states.js';

const agreements = AgreementsFile.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../data/agreements.json'), 'utf8')),
);

const joint = (status: JointHandling['status']) => jointHandling({ status });
const state = (over: Partial<EnquiryState> = {}) =>
  enquiryState({ status: 'awaiting_joint_decision', jointHandling: joint('voting'), ...over });
const viewer = (agency: string, roles: string[] = [], offices: string[] = []) => ({ sub: 'x', agency, roles, offices });

describe('offices are bound to their agency', () => {
  it('keeps the offices the agreements name for the token’s agency', () => {
    expect(officesHeldBy(agreements, 'irl', ['ob-leipzig', 'landrat-lk-leipzig'])).toEqual([
      'ob-leipzig',
      'landrat-lk-leipzig',
    ]);
    expect(officesHeldBy(agreements, 'wfg-nordsachsen', ['landrat-nordsachsen'])).toEqual(['landrat-nordsachsen']);
  });
  it('drops an office claimed by a token of another agency, and unknown offices', () => {
    expect(officesHeldBy(agreements, 'kks-osterzgebirge', ['ob-leipzig'])).toEqual([]);
    expect(officesHeldBy(agreements, 'wfg-nordsachsen', ['ob-leipzig', 'landrat-nordsachsen', 'nobody'])).toEqual([
      'landrat-nordsachsen',
    ]);
  });
  it('lets an office holder see a vote only with a token of the office’s agency', () => {
    expect(canSee(state(), viewer('irl', [], ['ob-leipzig']))).toBe(true);
    expect(canSee(state(), viewer('kks-osterzgebirge', [], ['ob-leipzig']))).toBe(false);
    expect(canSee(state({ jointHandling: joint('not_requested') }), viewer('irl', [], ['ob-leipzig']))).toBe(false);
  });
  it('refuses a vote cast with a token of another agency, even if it names the office', () => {
    const s = state();
    expect(refuseVote(s, 'ob-leipzig', viewer('irl', [], ['ob-leipzig']))).toBeNull();
    expect(refuseVote(s, 'ob-leipzig', viewer('kks-osterzgebirge', [], ['ob-leipzig']))).toMatchObject({
      kind: 'forbidden',
    });
  });
});

describe('the raw Temporal history', () => {
  it('is for the managers of the responsible and the handling agencies only', () => {
    const forwarded = state({ handlingAgencies: ['wfg-nordsachsen'], jointHandling: null });
    expect(mayReadRawHistory(forwarded, viewer('irl', ['manager']))).toBe(true);
    expect(mayReadRawHistory(forwarded, viewer('wfg-nordsachsen', ['manager']))).toBe(true);
    expect(mayReadRawHistory(forwarded, viewer('irl', ['staff']))).toBe(false);
    expect(mayReadRawHistory(state(), viewer('wfg-nordsachsen', ['manager']))).toBe(false);
    expect(mayReadRawHistory(state(), viewer('irl', [], ['ob-leipzig']))).toBe(false);
  });
});
