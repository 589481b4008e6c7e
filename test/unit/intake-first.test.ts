import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SlotPermit, SlotReserveContext, WorkflowSlotInfo } from '@temporalio/worker';
import { IntakeGauge } from '../../infra/intake-gauge.js';
import { intakeFirstSlots } from '../../worker/intake-first.js';

const ctx: SlotReserveContext = {
  slotType: 'workflow',
  taskQueue: 'q',
  workerIdentity: 'w',
  workerBuildId: '',
  isSticky: false,
};
const sticky = { ...ctx, isSticky: true };

/** A worker beside the api gives a burst of intakes way (docs/capacity.md). */
describe('task slots that give the intake way', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (slots = 2, holdMs = 5000) => {
    const gauge = new IntakeGauge(3);
    const supplier = intakeFirstSlots<WorkflowSlotInfo>(slots, gauge, holdMs);
    const granted: number[] = [];
    const reserve = (n: number, signal = new AbortController().signal, on = ctx) =>
      supplier.reserveSlot(on, signal).then((p: SlotPermit) => (granted.push(n), p));
    const release = () => supplier.releaseSlot({ permit: { sticky: false } });
    /** Six intakes in flight for a second: a burst. */
    const burst = async () => {
      const ends = Array.from({ length: 6 }, () => gauge.begin());
      await vi.advanceTimersByTimeAsync(1000);
      expect(gauge.busy).toBe(true);
      return () => ends.forEach((end) => end());
    };
    return { gauge, supplier, granted, reserve, release, burst };
  };

  it('gives slots at once while the intake is quiet, never more than there are', async () => {
    const { granted, reserve, release } = setup(2);
    const activity = { ...ctx, slotType: 'activity' as const };
    for (const n of [1, 2, 3]) void reserve(n, undefined, activity);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([1, 2]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([1, 2, 3]);
  });

  it("keeps the last free slot for the sticky queue's poll, and back, as the SDK does for fixed slots", async () => {
    const { granted, reserve } = setup(3);
    for (const n of [1, 2, 3]) void reserve(n);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([1, 2]);
    void reserve(4, undefined, sticky);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([1, 2, 4]);
  });

  it('holds slots back while intakes come in, and gives them soon after the burst', async () => {
    const { granted, reserve, supplier, burst, gauge } = setup(2);
    const over = await burst();
    void reserve(1);
    expect(supplier.tryReserveSlot(ctx)).toBeNull();
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toEqual([]);
    over();
    await vi.advanceTimersByTimeAsync(100);
    expect(granted).toEqual([]); // the gaps between a client's requests are not yet quiet
    await vi.advanceTimersByTimeAsync(900);
    expect(granted).toEqual([1]);
    expect(gauge.busy).toBe(false);
    expect(supplier.tryReserveSlot(sticky)).toEqual({ sticky: true });
  });

  it('does not take a short stall of a steady trickle for a burst', async () => {
    const { gauge } = setup();
    const stalled = Array.from({ length: 6 }, () => gauge.begin());
    await vi.advanceTimersByTimeAsync(300);
    expect(gauge.busy).toBe(false);
    stalled.forEach((end) => end());
  });

  it('holds a slot back no longer than its hold, however long the burst lasts', async () => {
    const { granted, reserve, burst } = setup(2, 5000);
    await burst();
    void reserve(1);
    await vi.advanceTimersByTimeAsync(4950);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(granted).toEqual([1]);
  });

  it('lets an aborted reservation go without using a slot', async () => {
    const { granted, reserve, burst } = setup(1);
    const over = await burst();
    const aborting = new AbortController();
    const first = reserve(1, aborting.signal);
    aborting.abort();
    await expect(first).rejects.toBeDefined();
    void reserve(2);
    over();
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual([2]);
  });

  it('counts each intake once, however often its end is called', async () => {
    const gauge = new IntakeGauge(0.5, 100);
    const end = gauge.begin();
    await vi.advanceTimersByTimeAsync(1000);
    expect(gauge.busy).toBe(true);
    end();
    end();
    await vi.advanceTimersByTimeAsync(1000);
    expect(gauge.busy).toBe(false);
  });
});
