import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config.js';

/** The worker's sizes (docs/operating.md): set from the environment, refused when the SDK could not start. */
describe('worker sizes', () => {
  it('defaults to half as many workflow pollers as slots (at least 2), and activity pollers as the SDK', () => {
    const { worker } = loadConfig({});
    expect(worker).toMatchObject({ cachedWorkflows: 50, workflowTaskSlots: 8, workflowPollers: 4 });
    expect(worker).toMatchObject({ activitySlots: 32, activityPollers: 10, burstHoldMs: 5000 });
    const small = loadConfig({ LOTSE_WORKFLOW_TASK_SLOTS: '3', LOTSE_ACTIVITY_SLOTS: '4' }).worker;
    expect(small).toMatchObject({ workflowTaskSlots: 3, workflowPollers: 2, activitySlots: 4, activityPollers: 4 });
    expect(loadConfig({ LOTSE_BURST_HOLD_MS: '0' }).worker.burstHoldMs).toBe(0);
  });

  it('takes the sizes from the environment, workflow slots never above the cache', () => {
    const env = { LOTSE_WORKFLOW_CACHE: '4', LOTSE_WORKFLOW_TASK_SLOTS: '6', LOTSE_WORKFLOW_POLLERS: '3' };
    expect(loadConfig(env).worker).toMatchObject({ cachedWorkflows: 4, workflowTaskSlots: 4, workflowPollers: 3 });
  });

  it.each([
    [{ LOTSE_WORKFLOW_TASK_SLOTS: '1' }, /LOTSE_WORKFLOW_TASK_SLOTS: .*>=2/],
    [{ LOTSE_WORKFLOW_POLLERS: '1' }, /LOTSE_WORKFLOW_POLLERS: .*>=2/],
    [{ LOTSE_WORKFLOW_TASK_SLOTS: '3', LOTSE_WORKFLOW_POLLERS: '4' }, /4 pollers need as many workflow task slots/],
    [{ LOTSE_WORKFLOW_CACHE: '2', LOTSE_WORKFLOW_POLLERS: '3' }, /the smaller counts: 2/],
    [{ LOTSE_ACTIVITY_SLOTS: '1', LOTSE_ACTIVITY_POLLERS: '2' }, /2 pollers need as many activity slots/],
    [{ LOTSE_BURST_HOLD_MS: '-1' }, /LOTSE_BURST_HOLD_MS: .*>=0/],
  ])('refuses %j with a message that names the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
