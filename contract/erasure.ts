import type { Erasure } from '../domain/personal-data.js';

/** The erasure of an enquiry's personal data (GDPR Art. 17): its own workflow, one per enquiry. */

export const ERASURE_WORKFLOW = 'erasePersonalData';
export const RETENTION_SWEEP_WORKFLOW = 'retentionSweep';
export const erasureWorkflowId = (enquiryId: string) => `erasure-${enquiryId}`;

export interface ErasureRequest {
  enquiryId: string;
  reason: string;
  by: string;
  /** When it was asked for (ISO 8601): the time the tombstone records. */
  at: string;
}

export type ErasureInput = ErasureRequest & { agency: string };
export type ErasureWorkflow = (input: ErasureInput) => Promise<Erasure>;
