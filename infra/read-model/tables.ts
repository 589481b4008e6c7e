import type { ColumnType, Kysely } from 'kysely';

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
  task_counts: { who: string; status: string; n: ColumnType<string, number, number> };
}

export type ReadDb = Kysely<ReadModelTables>;
