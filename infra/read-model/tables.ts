import type { ColumnType, Kysely } from 'kysely';
import type { FirmSummary } from '../../domain/firm-events.js';

/** The read model's tables as Kysely sees them (made by infra/read-model/migrations.ts). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface EnquiriesTable {
  enquiry_id: string;
  as_of: number;
  last_step: number;
  status: string;
  kind: string | null;
  received_by: string;
  received_at: Timestamp | null;
  responsible_agency: string | null;
  agencies: string[];
  handling_agencies: string[];
  lead_partners: string[];
  significant: boolean;
  offices: string[];
  waiting_on: string[];
  deadline: Timestamp | null;
  deadlines: ColumnType<unknown, string, string>;
  outcome: string | null;
  places: string[];
  jobs: number | null;
  investment_eur: number | null;
  forwarding_requested: boolean;
  leads: ColumnType<unknown, string, string>;
  first_at: ColumnType<unknown, string, string>;
  joint: boolean;
  joint_partners: string[];
  assignees: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  channel: string | null;
  measure: string | null;
  source_area: string | null;
  proposed_places: string[];
}

export interface ReadModelTables {
  enquiries: EnquiriesTable;
  applied_events: { event_id: string; stream_seq: ColumnType<string, number, number> };
  feed: { consumer: string; created_at: ColumnType<Date, never, never> };
  figure_counts: { agency: string; span: string; start: string; key: string; n: ColumnType<string, number, number> };
  tasks: {
    enquiry_id: string;
    who: string;
    status: string;
    deadline: ColumnType<Date, string, string>;
    /** The subject of the person of the task's agency who has it, null while nobody took it. */
    assignee: string | null;
  };
  enquiry_search: {
    enquiry_id: string;
    pending: boolean;
    words: string;
    released: boolean;
    firm_terms: string[];
    /** The firm's name sealed with the enquiry's data key (no plain name here); null until indexed, after erasure. */
    firm_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  };
  /** Every version of every site of the registry (infra/read-model/site-feed.ts): a withdrawal has no ags/area. */
  site_versions: {
    revision: ColumnType<string, number, number>;
    site_key: string;
    at: Timestamp;
    operation: string;
    ags: string | null;
    area_m2: number | null;
  };
  task_counts: { who: string; status: string; n: ColumnType<string, number, number> };
  firms: {
    firm_id: string;
    as_of: number;
    agency: string;
    readers: string[];
    name: string;
    sector: string;
    places: string[];
    care_level: string;
    next_visit_due: string;
    visit_due: boolean;
    summary: ColumnType<FirmSummary, string, string>;
  };
  firm_steps: {
    event_id: string;
    firm_id: string;
    step: number;
    type: string;
    at: Timestamp;
    agency: string;
    detail: ColumnType<Record<string, unknown>, string, string>;
  };
  firm_tasks: {
    firm_id: string;
    /** `visit_due` (the Betreuer's agency), `visit` (each participant), `concern` (the agency it waits on). */
    kind: string;
    /** The visit's or the concern's id; the firm's for a due visit. */
    ref: string;
    agency: string;
    sub: string | null;
    due: Timestamp;
    detail: ColumnType<Record<string, unknown>, string, string>;
  };
}

export type ReadDb = Kysely<ReadModelTables>;
