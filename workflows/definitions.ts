import { defineQuery } from '@temporalio/workflow';
import type { EnquiryState, EnquirySubmission, TimelineEntry } from '../domain/enquiry.js';

/** The messages the api exchanges with an enquiry workflow. Shared by both sides. */

export interface EnquiryInput {
  enquiryId: string;
  receivedBy: string;
  /** When the webhook accepted the enquiry (ISO 8601). */
  receivedAt: string;
  submission: EnquirySubmission;
}

export const stateQuery = defineQuery<EnquiryState>('state');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');

export const ENQUIRY_WORKFLOW = 'enquiryWorkflow';
