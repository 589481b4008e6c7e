import { expect, expectTypeOf, it } from 'vitest';
import { ENQUIRY_WORKFLOW, type EnquiryWorkflow } from '../../contract/enquiry-workflow.js';
import { ERASURE_WORKFLOW, RETENTION_SWEEP_WORKFLOW, type ErasureWorkflow } from '../../contract/erasure.js';
// Types only: the bundle's entry is evaluated in the workflow sandbox, never here.
import type * as bundle from '../../workflows/index.js';

type Exports = typeof bundle;

it('the api starts each workflow by the name of an export of the bundle, with the signature the contract gives', () => {
  // Checked by the compiler (npm test runs tsc first): a renamed export or a changed input fails there.
  expectTypeOf<Exports[typeof ENQUIRY_WORKFLOW]>().toEqualTypeOf<EnquiryWorkflow>();
  expectTypeOf<Exports[typeof ERASURE_WORKFLOW]>().toEqualTypeOf<ErasureWorkflow>();
  expectTypeOf<Exports[typeof RETENTION_SWEEP_WORKFLOW]>().returns.resolves.toEqualTypeOf<{ erased: number }>();
  expect([ENQUIRY_WORKFLOW, ERASURE_WORKFLOW, RETENTION_SWEEP_WORKFLOW]).toEqual([
    'enquiryWorkflow',
    'erasePersonalData',
    'retentionSweep',
  ]);
});
