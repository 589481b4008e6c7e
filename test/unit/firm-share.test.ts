import { describe, expect, it } from 'vitest';
import { firmEvent } from '../../domain/firm-events.js';
import { firmSharesFor } from '../../domain/firm-share.js';

/** Who gets a firm's step at their own webhook, and what of it (issue 33). */

const summary = {
  firmId: 'wf-burgenlandkreis-x',
  agency: 'wf-burgenlandkreis',
  name: 'X GmbH',
  sector: '25',
  places: ['15084590'],
  careLevel: 'key',
  carer: 'paul',
  coCarers: ['img'],
  readers: ['img', 'wf-burgenlandkreis'],
  nextVisitDue: '2027-01-01',
  visitDue: false,
};
const step = (data: Record<string, unknown>, agency = 'wf-burgenlandkreis') =>
  firmEvent({
    firmId: summary.firmId,
    step: 3,
    type: 'concern_opened',
    agency,
    time: new Date(0),
    data: { summary, ...data },
  });

describe('a co-carer’s share', () => {
  it('goes to the co-carers and the agency a concern is handed to, not to the firm’s or the acting agency', () => {
    expect(firmSharesFor(step({ handledBy: 'wfs' })).map((s) => s.agency)).toEqual(['img', 'wfs']);
    expect(firmSharesFor(step({}, 'img'))).toEqual([]);
  });

  it('leaves out what is sealed, who may see the firm and the Betreuer', () => {
    const [share] = firmSharesFor(step({ note: 'lotse:sealed:v1:abc', topic: 'funding' }));
    expect(share!.event.data).toMatchObject({ topic: 'funding', summary: { name: 'X GmbH' } });
    expect(JSON.stringify(share!.event)).not.toMatch(/lotse:sealed|readers|"carer"/);
  });
});
