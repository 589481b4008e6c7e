import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/**
 * Every workflow in the worker's cache evaluates the modules of the workflow bundle. It
 * holds the process and small pure functions only: no schema library (validation
 * happens at the boundaries, before anything enters a workflow), no Node built-ins.
 */
describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+)/g)].map((m) => m[1]));

  it('holds only the Temporal workflow runtime and what it needs, no schema library', () => {
    expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc']);
  });

  it('stays small: each cached workflow evaluates it', () => {
    expect(code.length).toBeLessThan(2_200_000);
  });
});
