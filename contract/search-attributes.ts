import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What managers filter enquiries by in Temporal's visibility store. Never personal
 * data: search attributes are stored unencrypted. The SQLite visibility store of the
 * dev server has fixed slots per type (Keyword ×10, KeywordList ×3, Datetime ×3, …).
 */
export const Status = defineSearchAttributeKey('LotseStatus', SearchAttributeType.KEYWORD);
export const Kind = defineSearchAttributeKey('LotseKind', SearchAttributeType.KEYWORD);
export const ReceivedBy = defineSearchAttributeKey('LotseReceivedBy', SearchAttributeType.KEYWORD);
export const ResponsibleAgency = defineSearchAttributeKey('LotseResponsibleAgency', SearchAttributeType.KEYWORD);
export const ReceivedAt = defineSearchAttributeKey('LotseReceivedAt', SearchAttributeType.DATETIME);
/**
 * Every agency with a part in the enquiry (receiving, responsible, handling, offered
 * the lead), plus `handling:<agency>` for the handling ones: one list serves both
 * "visible to" and "handled by" filters within the store's three list slots.
 */
export const Agencies = defineSearchAttributeKey('LotseAgencies', SearchAttributeType.KEYWORD_LIST);
const HANDLING = 'handling:';
export const handlingTag = (agency: string) => `${HANDLING}${agency}`;
/** The handling agencies among the values of `Agencies`. */
export const handlingFromTags = (values: readonly string[]) =>
  values.filter((v) => v.startsWith(HANDLING)).map((v) => v.slice(HANDLING.length));

/** Partners the lead was offered to: what `GET /v1/leads` lists by. */
export const LeadPartners = defineSearchAttributeKey('LotseLeadPartners', SearchAttributeType.KEYWORD_LIST);

/** Who must act now: `staff:<agency>`, `manager:<agency>`, `office:<officeId>`. What `GET /v1/tasks` lists by. */
export const WaitingOn = defineSearchAttributeKey('LotseWaitingOn', SearchAttributeType.KEYWORD_LIST);
/** The earliest open deadline. */
export const Deadline = defineSearchAttributeKey('LotseDeadline', SearchAttributeType.DATETIME);
/**
 * The Lotse release whose intake started the enquiry (`RELEASE`; the api and the workers
 * are upgraded together). Which paths of the workflow code an enquiry runs, its patch
 * markers decide (workflows/versions.ts); this tells operators which releases' enquiries
 * are still kept. Enquiries from before 1.0 have none.
 */
export const Release = defineSearchAttributeKey('LotseRelease', SearchAttributeType.KEYWORD);
/** Regionally significant: joint handling was requested. */
export const Significant = defineSearchAttributeKey('LotseSignificant', SearchAttributeType.BOOL);

export const ALL_SEARCH_ATTRIBUTES = [
  Status,
  Kind,
  ReceivedBy,
  ResponsibleAgency,
  ReceivedAt,
  Agencies,
  LeadPartners,
  WaitingOn,
  Deadline,
  Significant,
  Release,
];

/** Set by Temporal on a workflow a schedule started: when the schedule meant it (a backfill's time too). */
export const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
