import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coCarersOf, maySeeFirm, visitEveryMonths, type WithCare } from '../../domain/care.js';
import { nextVisitDue } from '../../domain/visit-rhythm.js';
import { FirmInput, firmIdOf } from '../../domain/firms.js';
import { Agreement } from '../../domain/reference.js';

/** Who cares for a resident firm, how often it is visited, and what a firm's entry must hold (issue 33). */

const agreements: WithCare[] = JSON.parse(readFileSync(path.join(__dirname, '../../data/agreements.json'), 'utf8')).map(
  (a: unknown) => Agreement.parse(a),
);

const zeitz = { agency: 'wf-burgenlandkreis', sites: [{ ags: '15084590' }] };
const glashuette = { agency: 'kks-osterzgebirge', sites: [{ ags: '14628130' }] };
const leipzig = { agency: 'irl', sites: [{ ags: '14713000' }] };

describe('who cares for a firm', () => {
  it('lets IMG see the Burgenlandkreis’s firms there, and nobody else', () => {
    expect(coCarersOf(zeitz, agreements)).toEqual(['img']);
    expect(maySeeFirm(zeitz, 'img', agreements)).toBe(true);
    expect(maySeeFirm(zeitz, 'wf-burgenlandkreis', agreements)).toBe(true);
    for (const other of ['irl', 'wfg-nordsachsen', 'kks-osterzgebirge']) {
      expect(maySeeFirm(zeitz, other, agreements), other).toBe(false);
    }
  });

  it('gives IMG none of a county firm outside the agreement’s area, and the KKS no co-carer', () => {
    const halle = { agency: 'wf-burgenlandkreis', sites: [{ ags: '15002000' }] };
    expect(coCarersOf(halle, agreements)).toEqual([]);
    expect(coCarersOf(glashuette, agreements)).toEqual([]);
    expect(maySeeFirm(glashuette, 'img', agreements)).toBe(false);
    expect(coCarersOf(leipzig, agreements)).toEqual([]);
  });

  it('visits as often as the closest agreement asks, else 6 and 24 months', () => {
    expect(visitEveryMonths(zeitz, 'key', agreements)).toBe(6);
    expect(visitEveryMonths(glashuette, 'regular', agreements)).toBe(18);
    expect(visitEveryMonths(leipzig, 'regular', agreements)).toBe(24);
  });
});

describe('the next visit', () => {
  it('falls the same day months later, or on the month’s last day', () => {
    expect(nextVisitDue('2026-03-15', 6)).toBe('2026-09-15');
    expect(nextVisitDue('2026-08-31', 6)).toBe('2027-02-28');
    expect(nextVisitDue('2027-08-31', 6)).toBe('2028-02-29');
    expect(nextVisitDue('2026-11-30', 24)).toBe('2028-11-30');
    expect(nextVisitDue('2026-12-01', 1)).toBe('2027-01-01');
  });
});

describe('a firm’s entry', () => {
  const firm = {
    name: 'Stahlbau Zeitz GmbH',
    legalForm: 'GmbH',
    registerNumber: 'HRB 12345',
    sector: 'C25.1',
    sites: [{ ags: '15084590', address: 'Industriestraße 4, 06712 Zeitz' }],
    employees: 85,
    contacts: [{ name: 'Petra Lehmann', role: 'Geschäftsführerin', email: 'p.lehmann@stahlbau-zeitz.example' }],
    careLevel: 'key',
  };

  it('takes a complete firm, and names a firm by agency and slug', () => {
    expect(FirmInput.parse(firm).careLevel).toBe('key');
    expect(firmIdOf('wf-burgenlandkreis', 'Stahlbau Zeitz GmbH')).toBe('wf-burgenlandkreis-stahlbau-zeitz-gmbh');
    expect(firmIdOf('kks-osterzgebirge', 'Uhrenmanufaktur Glashütte & Söhne')).toBe(
      'kks-osterzgebirge-uhrenmanufaktur-glashuette-soehne',
    );
  });

  it('refuses a site without a municipality key, a wrong WZ code or register number, and unknown fields', () => {
    const wrong = (over: object) =>
      FirmInput.safeParse({ ...firm, ...over }).error?.issues.map((i) => i.path.join('.'));
    expect(wrong({ sites: [{ ags: '15084', address: 'Zeitz' }] })).toEqual(['sites.0.ags']);
    expect(wrong({ sector: 'Metall' })).toEqual(['sector']);
    expect(wrong({ registerNumber: '12345' })).toEqual(['registerNumber']);
    expect(wrong({ sites: [] })).toEqual(['sites']);
    expect(wrong({ turnover: 1 })).toEqual(['']);
  });
});
