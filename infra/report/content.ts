import { countValues, sumCounts, type ProgrammeFigures, type SiteFigures } from '../../domain/programme-figures.js';
import type { Channel } from '../../domain/programme.js';
import { berlinDateTime, germanDay, quarterLabel } from './format.js';

/**
 * What the quarterly report says, whichever file says it: the PDF shows these tables as
 * text, the workbook as numbers with number formats. One source, so that both add up alike.
 */

export interface ReportInput {
  figures: ProgrammeFigures;
  /** "3. Quartal 2026" */
  title: string;
  /** YYYY-MM-DD, the first day in the report */
  from: string;
  /** YYYY-MM-DD, the last day in the report */
  to: string;
  /** ISO instant the report was built */
  builtAt: string;
  /** The steering group's name: who the report is for */
  steeringGroup: string;
  /** Agency id → short name: wfg-nordsachsen → "WFG Nordsachsen" */
  agencyNames: Record<string, string>;
}

/** How a column's numbers read: counts, euros, hectares. */
export type Unit = 'count' | 'eur' | 'ha';
export interface Column {
  header: string;
  unit: Unit;
}
/** null: no figure (enquiries from outside the region have no sites), shown as a dash. */
export interface Row {
  label: string;
  values: (number | null)[];
  total?: boolean;
}
export interface Table {
  title: string;
  labelHeader: string;
  columns: Column[];
  rows: Row[];
}

const COUNT_COLUMNS: Column[] = [
  { header: 'Anfragen', unit: 'count' },
  { header: 'vorgeschlagene Flächen', unit: 'count' },
  { header: 'Leads', unit: 'count' },
  { header: 'Ansiedlungen', unit: 'count' },
  { header: 'Arbeitsplätze', unit: 'count' },
  { header: 'Investition', unit: 'eur' },
];
const SITE_COLUMNS: Column[] = [
  { header: 'Flächen (Anzahl)', unit: 'count' },
  { header: 'verfügbar (ha)', unit: 'ha' },
  { header: 'Abgang (ha)', unit: 'ha' },
];

const M2_PER_HA = 10_000;
const siteValues = (s: SiteFigures | null) =>
  s ? [s.count, s.availableM2 / M2_PER_HA, s.takenM2 / M2_PER_HA] : [null, null, null];

/** The sites' sum over the rows that have sites: the total counts enquiries, not sites. */
function siteTotal(f: ProgrammeFigures): SiteFigures {
  const sites = f.areas.flatMap((a) => (a.sites ? [a.sites] : []));
  const sum = (pick: (s: SiteFigures) => number) => sites.reduce((acc, s) => acc + pick(s), 0);
  return { count: sum((s) => s.count), availableM2: sum((s) => s.availableM2), takenM2: sum((s) => s.takenM2) };
}

export function areaTable(f: ProgrammeFigures): Table {
  const rows = f.areas.map((a) => ({ label: a.name, values: [...countValues(a), ...siteValues(a.sites)] }));
  const total = { label: 'Summe', values: [...countValues(f.total), ...siteValues(siteTotal(f))], total: true };
  const columns = [...COUNT_COLUMNS, ...SITE_COLUMNS];
  return { title: 'Nach Mittelzentrum', labelHeader: 'Gebiet', columns, rows: [...rows, total] };
}

export const measureLabel = (code: string | null, title: string) => (code ? `${code} ${title}` : 'ohne Zuordnung');

export function measureTable(f: ProgrammeFigures): Table {
  const rows = f.measures.map((m) => ({ label: measureLabel(m.measure, m.title), values: countValues(m) }));
  // Its own rows' sum: proposed sites and leads count per measure otherwise than per area (programme-figures.ts).
  const total = { label: 'Summe', values: countValues(sumCounts(f.measures)), total: true };
  return { title: 'Nach Maßnahme', labelHeader: 'Maßnahme', columns: COUNT_COLUMNS, rows: [...rows, total] };
}

export const CHANNEL_LABELS: Record<Channel | 'none', string> = {
  website: 'Website-Formular',
  campaign_page: 'Kampagnenseite',
  fair: 'Messe',
  referral: 'Empfehlung (GTAI/WFS)',
  phone: 'Telefon',
  other: 'sonstiger Weg',
  none: 'ohne Angabe',
};

export function channelTable(f: ProgrammeFigures): Table {
  const rows = Object.entries(CHANNEL_LABELS).map(([channel, label]) => ({
    label,
    values: [f.channels[channel as Channel | 'none'] ?? 0],
  }));
  const total = { label: 'Summe', values: [f.total.enquiries], total: true };
  const columns: Column[] = [{ header: 'Anfragen', unit: 'count' }];
  return { title: 'Nach Eingangsweg', labelHeader: 'Eingangsweg', columns, rows: [...rows, total] };
}

/** Each Mittelzentrum's figures per quarter (the rest of the region and outside have no area id). */
export function quarterRows(f: ProgrammeFigures) {
  const none = { enquiries: 0, settled: 0, jobs: 0 };
  return f.areas.flatMap((a) => {
    const id = a.part === 'area' ? a.area : null;
    if (!id) return [];
    return f.quarters.map((q) => ({ area: a.name, quarter: quarterLabel(q.quarter), ...(q.areas[id] ?? none) }));
  });
}

export const period = (input: ReportInput) => `${germanDay(input.from)} – ${germanDay(input.to)}`;

/** Every step up to asOf is counted; a report without it was counted when it was built. */
export const stand = (input: ReportInput) => berlinDateTime(input.figures.asOf ?? input.builtAt);

/** How it counts, so that a reader can tell why the tables add up (domain/programme-figures.ts). */
export const COUNTING = [
  'Anfragen, vorgeschlagene Flächen und Leads zählen nach dem Tag des Eingangs der Anfrage, ' +
    'Ansiedlungen nach dem Tag ihres Abschlusses – mit Arbeitsplätzen und Investition einmal, ' +
    'auch wenn mehrere Wirtschaftsförderungen beteiligt waren.',
  'Jede Anfrage zählt in genau einem Gebiet: dem ihres ersten bevorzugten Standorts; ' +
    'liegt er in keinem Gebiet, in dem Gebiet, dessen Marketing sie gebracht hat. Anfragen von außerhalb ' +
    'der Region, die eine Maßnahme des Programms gebracht hat, stehen in der Zeile „außerhalb (durch Maßnahmen)“.',
  'Eine vorgeschlagene Fläche zählt in dem Gebiet, in dem sie liegt. Flächen: Bestand im Flächenregister ' +
    'am Ende des Zeitraums; Abgang: im Zeitraum zurückgezogen oder verkleinert (verkauft, vermietet, bebaut).',
];

/** "WFG Nordsachsen für Torgau, Delitzsch, …": which agency answers for which area. */
export function responsibility(input: ReportInput): string[] {
  const byAgency = new Map<string, string[]>();
  for (const a of input.figures.areas) {
    if (!a.agency) continue;
    const name = input.agencyNames[a.agency] ?? a.agency;
    byAgency.set(name, [...(byAgency.get(name) ?? []), a.name]);
  }
  return [...byAgency].map(([agency, areas]) => `${agency} für ${areas.join(', ')}`);
}
