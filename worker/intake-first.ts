import type { CustomSlotSupplier, SlotInfo, SlotPermit, SlotReserveContext } from '@temporalio/worker';
import type { IntakeGauge } from '../infra/intake-gauge.js';

/** How often held slots look whether the burst is over. */
const RECHECK_MS = 100;

interface Permit {
  sticky: boolean;
}

interface Waiter {
  ctx: SlotReserveContext;
  since: number;
  grant: () => void;
}

/**
 * Task slots that give the intake way: while the api in this process answers a burst of
 * intakes, the worker takes no new tasks (for at most `maxHoldMs` per slot), so that the
 * enquiries' processing follows the burst on the machine's cores instead of sharing them
 * with it. Never more than `slots` at once, as with a fixed number of slots; and, as the
 * SDK does for fixed slots, the last free workflow slot is kept for the sticky or the
 * shared queue's poll when the other kind holds all the rest, so that neither waits for a
 * long poll of the other to end.
 */
export function intakeFirstSlots<SI extends SlotInfo>(
  slots: number,
  gauge: IntakeGauge,
  maxHoldMs: number,
): CustomSlotSupplier<SI> {
  const used = { all: 0, sticky: 0 };
  const waiting: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;

  const fits = (ctx: SlotReserveContext) => {
    if (used.all >= slots) return false;
    if (ctx.slotType !== 'workflow') return true;
    const mine = ctx.isSticky ? used.sticky : used.all - used.sticky;
    const others = used.all - mine;
    return mine === 0 || others > 0 || used.all + 1 < slots;
  };
  const take = (ctx: SlotReserveContext): Permit => {
    used.all++;
    if (ctx.isSticky) used.sticky++;
    return { sticky: ctx.isSticky };
  };

  const grantWhatMay = () => {
    clearTimeout(timer);
    timer = undefined;
    const now = Date.now();
    const busy = gauge.busy;
    for (let i = 0; i < waiting.length;) {
      const w = waiting[i]!;
      const held = busy && now - w.since < maxHoldMs;
      if (held || !fits(w.ctx)) i++;
      else {
        waiting.splice(i, 1);
        w.grant();
      }
    }
    // Held slots look again soon: the burst may be over, and none is held past its hold.
    // Otherwise a waiter waits for a release, which looks again.
    if (busy && waiting.length > 0 && used.all < slots) {
      const next = Math.min(...waiting.map((w) => w.since + maxHoldMs - now));
      timer = setTimeout(grantWhatMay, Math.max(1, Math.min(RECHECK_MS, next)));
      timer.unref();
    }
  };

  return {
    type: 'custom',
    reserveSlot(ctx: SlotReserveContext, abortSignal: AbortSignal): Promise<SlotPermit> {
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          ctx,
          since: Date.now(),
          grant: () => {
            abortSignal.removeEventListener('abort', abort);
            resolve(take(ctx));
          },
        };
        const abort = () => {
          const i = waiting.indexOf(waiter);
          if (i >= 0) waiting.splice(i, 1);
          reject(abortSignal.reason);
        };
        abortSignal.addEventListener('abort', abort, { once: true });
        waiting.push(waiter);
        grantWhatMay();
      });
    },
    tryReserveSlot(ctx: SlotReserveContext): SlotPermit | null {
      return gauge.busy || !fits(ctx) ? null : take(ctx);
    },
    markSlotUsed() {},
    releaseSlot({ permit }) {
      used.all--;
      if ((permit as Permit).sticky) used.sticky--;
      grantWhatMay();
    },
  };
}
