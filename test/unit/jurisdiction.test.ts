import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { determineJurisdiction } from '../../domain/jurisdiction.js';
import { loadReference } from '../../infra/reference.js';

const { agencies, successions } = loadReference(path.join(__dirname, '../../data'));
const decide = (locations: string[] | undefined, receivedBy = 'gtai') =>
  determineJurisdiction(agencies, successions, receivedBy, locations);

describe('jurisdiction: the most specific agency covering the first preferred location', () => {
  it.each([
    ['Stadt Leipzig', '14713000', 'irl', '14713'],
    ['Brandis, a Gemeinde in Landkreis Leipzig', '14729050', 'irl', '14729'],
    ['Landkreis Leipzig as a whole', '14729', 'irl', '14729'],
    ['Torgau, county seat of Nordsachsen', '14730310', 'wfg-nordsachsen', '14730'],
    ['Schkeuditz', '14730270', 'wfg-nordsachsen', '14730'],
    ['Glashütte, one of the four Osterzgebirge towns', '14628130', 'kks-osterzgebirge', '14628130'],
    ['Klingenberg', '14628205', 'kks-osterzgebirge', '14628205'],
    ['Pirna, same county but not one of the four', '14628270', 'wfs', '14'],
    ['Zeitz in the Burgenlandkreis', '15084590', 'wf-burgenlandkreis', '15084'],
    ['Magdeburg, Sachsen-Anhalt outside any county agency', '15003000', 'img', '15'],
    ['Erfurt, Thüringen outside any county agency', '16051000', 'leg', '16'],
    ['Sachsen as a whole', '14', 'wfs', '14'],
    ['München, a Land without a state agency of ours', '09162000', 'gtai', '09'],
  ])('%s (%s) → %s', (_place, ags, agency, prefix) => {
    expect(decide([ags], 'irl')).toMatchObject({
      responsibleAgency: agency,
      rule: 'most_specific_coverage',
      location: ags,
      coveredBy: prefix,
    });
  });

  it('decides by the first preferred location only', () => {
    expect(decide(['15084590', '14713000']).responsibleAgency).toBe('wf-burgenlandkreis');
  });

  it('leaves an enquiry without a location with the receiving agency', () => {
    expect(decide(undefined, 'wfg-nordsachsen')).toEqual({
      responsibleAgency: 'wfg-nordsachsen',
      rule: 'no_location_given',
    });
    expect(decide([], 'irl')).toEqual({ responsibleAgency: 'irl', rule: 'no_location_given' });
  });

  it('leaves a location nobody covers with the receiving agency', () => {
    const withoutFederal = agencies.filter((a) => a.id !== 'gtai');
    expect(determineJurisdiction(withoutFederal, successions, 'irl', ['09162000'])).toEqual({
      responsibleAgency: 'irl',
      rule: 'location_not_covered',
      location: '09162000',
    });
  });

  it.each([
    ['Delitzsch under its pre-2008 key', '14374060', 'wfg-nordsachsen', '14730070'],
    ['a Gemeinde of the former Landkreis Torgau-Oschatz', '14389999', 'wfg-nordsachsen', '14730999'],
    ['Glashütte under its Weißeritzkreis key', '14290150', 'kks-osterzgebirge', '14628130'],
    ['a Gemeinde of the pre-2007 Burgenlandkreis', '15256123', 'wf-burgenlandkreis', '15084123'],
    ['Stadt Leipzig under its pre-2008 key', '14365000', 'irl', '14713000'],
  ])('lands %s (%s) with %s via the succession table', (_place, old, agency, current) => {
    const j = decide([old]);
    expect(j).toMatchObject({ responsibleAgency: agency, location: old, currentLocation: current });
    expect(j.successions?.length).toBeGreaterThan(0);
  });
});
