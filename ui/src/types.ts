import type { components } from './schema.js';

/**
 * The api's types that more than one module of the web app uses, named once (generated
 * from the OpenAPI document into schema.d.ts). Screens import them from here rather than
 * from each other, so that no import goes in a circle.
 */

/** An enquiry as the caller may see it: the enquiry screen, its actions and Datenschutz, the ballots. */
export type EnquiryState = components['schemas']['EnquiryState'];

/** A decision waiting on the person or their office. */
export type Task = components['schemas']['Task'];
export type TaskList = components['schemas']['TaskList'];

/** A firm its readers see (Bestandspflege): facts, contacts, care, timeline. */
export type Firm = components['schemas']['Firm'];

/** Someone of the agencies that care for a firm, who may take part in its visits. */
export type FirmPerson = components['schemas']['FirmPeople']['items'][number];

/** What a visit was about, and what a concern is about. */
export type VisitTopic = Firm['care']['openConcerns'][number]['topic'];

/** A funding programme whose figures the manager's agency reads (Kennzahlen, its Berichte). */
export type Programme = components['schemas']['Programmes']['items'][number];
