import { mintToken } from '../api/auth.js';

/**
 * Sample firms for the development stack (`npm start`), entered through the api as staff would:
 * a dozen fictional firms in the Burgenlandkreis and the four Osterzgebirge towns, of both care
 * levels, some with a visit due, two with an open concern, a joint visit planned with IMG's
 * project manager, one expansion project under way. Only into an empty register.
 */

interface SampleFirm {
  agency: 'wf-burgenlandkreis' | 'kks-osterzgebirge';
  name: string;
  legalForm: string;
  sector: string;
  ags: string;
  address: string;
  employees: number;
  careLevel: 'key' | 'regular';
  contact?: { name: string; role: string; email: string };
  /** The last visit, so many months ago (none: never visited). */
  visitedMonthsAgo?: number;
}

const BLK = 'wf-burgenlandkreis';
const KKS = 'kks-osterzgebirge';
const FIRMS: SampleFirm[] = [
  {
    agency: BLK,
    name: 'Stahlbau Zeitz GmbH',
    legalForm: 'GmbH',
    sector: '25.11',
    ags: '15084590',
    address: 'Industriestraße 4, 06712 Zeitz',
    employees: 180,
    careLevel: 'key',
    visitedMonthsAgo: 4,
    contact: { name: 'Erika Vogelsang', role: 'Geschäftsführerin', email: 'e.vogelsang@stahlbau-zeitz.example' },
  },
  {
    agency: BLK,
    name: 'Zeitzer Zuckerwaren GmbH & Co. KG',
    legalForm: 'GmbH & Co. KG',
    sector: '10.82',
    ags: '15084590',
    address: 'Schützenstraße 20, 06712 Zeitz',
    employees: 240,
    careLevel: 'key',
    visitedMonthsAgo: 7,
  },
  {
    agency: BLK,
    name: 'Weißenfelser Schuhfabrik GmbH',
    legalForm: 'GmbH',
    sector: '15.20',
    ags: '15084565',
    address: 'Naumburger Straße 31, 06667 Weißenfels',
    employees: 95,
    careLevel: 'regular',
    visitedMonthsAgo: 3,
  },
  {
    agency: BLK,
    name: 'Saale-Unstrut Winzer eG',
    legalForm: 'eG',
    sector: '11.02',
    ags: '15084355',
    address: 'Weinbergweg 2, 06618 Naumburg (Saale)',
    employees: 35,
    careLevel: 'regular',
    visitedMonthsAgo: 26,
  },
  {
    agency: BLK,
    name: 'Naumburger Präzisionsguss GmbH',
    legalForm: 'GmbH',
    sector: '24.53',
    ags: '15084355',
    address: 'Am Gewerbepark 7, 06618 Naumburg (Saale)',
    employees: 120,
    careLevel: 'key',
    visitedMonthsAgo: 2,
    contact: { name: 'Jörg Brandt', role: 'Werkleiter', email: 'j.brandt@praezisionsguss.example' },
  },
  {
    agency: BLK,
    name: 'Hohenmölsener Logistik GmbH',
    legalForm: 'GmbH',
    sector: '52.10',
    ags: '15084240',
    address: 'Industriepark 1, 06679 Hohenmölsen',
    employees: 310,
    careLevel: 'key',
  },
  {
    agency: KKS,
    name: 'Glashütter Feinuhrwerk GmbH',
    legalForm: 'GmbH',
    sector: '26.52',
    ags: '14628130',
    address: 'Altenberger Straße 5, 01768 Glashütte',
    employees: 160,
    careLevel: 'key',
    visitedMonthsAgo: 8,
  },
  {
    agency: KKS,
    name: 'Altenberger Präzisionsteile GmbH',
    legalForm: 'GmbH',
    sector: '25.62',
    ags: '14628010',
    address: 'Gewerbegebiet Geising 3, 01778 Altenberg',
    employees: 45,
    careLevel: 'regular',
    visitedMonthsAgo: 5,
  },
  {
    agency: KKS,
    name: 'Dippoldiswalder Metallbau GmbH',
    legalForm: 'GmbH',
    sector: '25.11',
    ags: '14628060',
    address: 'Glashütter Straße 40, 01744 Dippoldiswalde',
    employees: 70,
    careLevel: 'regular',
    visitedMonthsAgo: 10,
    contact: { name: 'Sven Kaden', role: 'Inhaber', email: 's.kaden@metallbau-dipps.example' },
  },
  {
    agency: KKS,
    name: 'Klingenberger Holzverarbeitung e.K.',
    legalForm: 'e.K.',
    sector: '16.23',
    ags: '14628205',
    address: 'Dorfstraße 12, 01738 Klingenberg',
    employees: 18,
    careLevel: 'regular',
    visitedMonthsAgo: 20,
  },
  {
    agency: KKS,
    name: 'Erzgebirgische Werkzeugbau GmbH',
    legalForm: 'GmbH',
    sector: '25.73',
    ags: '14628060',
    address: 'Am Bahnhof 9, 01744 Dippoldiswalde',
    employees: 55,
    careLevel: 'key',
    visitedMonthsAgo: 3,
  },
  {
    agency: KKS,
    name: 'Osterzgebirge Sensorik UG',
    legalForm: 'UG',
    sector: '26.51',
    ags: '14628130',
    address: 'Hauptstraße 22, 01768 Glashütte',
    employees: 12,
    careLevel: 'regular',
  },
];

const CARERS = { [BLK]: 'blk.staff', [KKS]: 'kks.staff' } as const;

/** Enters the sample firms unless the register has firms already; answers how many it entered. */
export async function seedSampleFirms(baseUrl: string, jwtSecret: string): Promise<number> {
  const token = (agency: string, sub: string) => mintToken(jwtSecret, { sub, agency, roles: ['staff'], offices: [] });
  const as = {
    [BLK]: await token(BLK, 'blk.staff'),
    [KKS]: await token(KKS, 'kks.staff'),
    img: await token('img', 'img.pm'),
  };
  const call = async (who: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${as[who as keyof typeof as]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { items?: unknown[]; firmId?: string },
    };
  };
  for (const agency of [BLK, KKS]) {
    if ((await call(agency, '/v1/firms')).body.items?.length) return 0;
  }
  const ids: Record<string, string> = {};
  for (const f of FIRMS) {
    const entered = await call(f.agency, '/v1/firms', {
      name: f.name,
      legalForm: f.legalForm,
      sector: f.sector,
      sites: [{ ags: f.ags, address: f.address }],
      employees: f.employees,
      careLevel: f.careLevel,
      carer: CARERS[f.agency],
      contacts: f.contact ? [f.contact] : [],
    });
    const firmId = entered.body.firmId;
    if (entered.status !== 201 || !firmId) continue;
    ids[f.name] = firmId;
    if (f.visitedMonthsAgo === undefined) continue;
    const at = new Date(Date.now() - f.visitedMonthsAgo * 30.5 * 86_400_000).toISOString();
    const participants = [{ agency: f.agency, sub: CARERS[f.agency] }];
    await call(f.agency, `/v1/firms/${firmId}/visit-reports`, { at, participants, topics: ['other'] });
  }
  await underWay(call, ids);
  return Object.keys(ids).length;
}

type Call = (
  who: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> & { items?: unknown[]; firmId?: string } }>;

/** The firms' care under way: a joint visit planned, two concerns open, an expansion project. */
async function underWay(call: Call, ids: Record<string, string>) {
  const stahlbau = ids['Stahlbau Zeitz GmbH'];
  if (stahlbau) {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    nextWeek.setUTCHours(8, 0, 0, 0);
    const participants = [
      { agency: BLK, sub: 'blk.staff' },
      { agency: 'img', sub: 'img.pm' },
    ];
    await call(BLK, `/v1/firms/${stahlbau}/visits`, {
      at: nextWeek.toISOString(),
      participants,
      place: 'Werk Zeitz, Halle 3',
    });
    await call(BLK, `/v1/firms/${stahlbau}/expansions`, {
      project: { jobs: 60, jobsSecured: 180, investmentEur: 14_000_000, description: 'Neue Fertigungshalle' },
      siteRequirements: { areaM2Min: 40_000, zoning: ['GI'] },
    });
  }
  const guss = ids['Naumburger Präzisionsguss GmbH'];
  if (guss) {
    const note = 'Bauantrag für die Erweiterung der Gießerei liegt seit sechs Wochen beim Bauamt.';
    await call(BLK, `/v1/firms/${guss}/concerns`, { topic: 'permit', handledBy: BLK, note });
  }
  const metallbau = ids['Dippoldiswalder Metallbau GmbH'];
  if (metallbau) {
    const note = 'Sucht zwei Schweißer und einen Azubi; Anruf am Bürgertelefon.';
    await call(KKS, `/v1/firms/${metallbau}/concerns`, { topic: 'skilled_labour', handledBy: KKS, note });
  }
}
