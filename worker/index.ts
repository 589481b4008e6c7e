import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type ActivitySlotInfo, type WorkflowSlotInfo } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { ReportDeps } from '../activities/report.js';
import { REPORT_WORKFLOW, reportScheduleId } from '../contract/report-workflow.js';
import { RETENTION_SWEEP_WORKFLOW } from '../contract/erasure.js';
import type { Config } from '../infra/config.js';
import { encryptedDataConverter } from '../infra/payload-codec.js';
import type { NatsConnection } from '../infra/nats.js';
import type { Logger } from '../infra/logger.js';
import type { ReferenceStore } from '../infra/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import type { DataKeys } from '../infra/data-keys.js';
import type { IntakeGauge } from '../infra/intake-gauge.js';
import { bundleWorkflows } from './bundle.js';
import { intakeFirstSlots } from './intake-first.js';
import { refuseEnquiriesBeforeRelease } from './releases.js';
import { installTemporalRuntime } from './runtime.js';

export interface WorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  nats: NatsConnection;
  reference: ReferenceStore;
  sites: SiteRegistry;
  webhookSecrets: Record<string, string>;
  webhookAllowlist: readonly string[];
  logger: Logger;
  /** A prebuilt workflow bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  tuning: Config['worker'];
  /** Encrypts what the worker sends to Temporal (infra/payload-codec.ts). */
  payloadCodec: PayloadCodec;
  /** The enquiries' data keys (infra/data-keys.ts). */
  dataKeys: DataKeys;
  /** For the retention sweep's visibility queries. */
  temporal: Client;
  /** The api's intakes in this process: the worker gives them way during a burst (none: fixed slots). */
  intakeGauge?: IntakeGauge;
  /** What a programme's report reads, where it is stored, how it is mailed (activities/report.ts). */
  readDb?: ReportDeps['readDb'];
  reports?: ReportDeps['reports'];
  mail?: ReportDeps['mail'];
  /**
   * A connection this process shares with the api's eager starts (infra/temporal.ts), which the
   * worker leaves open; without one, it opens its own and closes it when it stops.
   */
  connection?: NativeConnection;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped; rejects when it failed. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish, closes the connection. */
  stop(): Promise<void>;
}

/** The connection a worker polls on (Temporal's native client), its runtime logging through ours. */
export function connectWorker(address: string, logger: Logger) {
  installTemporalRuntime(logger);
  return NativeConnection.connect({ address });
}

/** Starts a worker that runs every Lotse workflow and its activities (not beside enquiries before 1.0). */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  await refuseEnquiriesBeforeRelease(opts.temporal, { address: opts.temporalAddress, taskQueue: opts.taskQueue });
  const connection = opts.connection ?? (await connectWorker(opts.temporalAddress, opts.logger));
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowBundle: { code: await bundleWorkflows() } }),
    activities: createActivities(opts),
    dataConverter: encryptedDataConverter(opts.payloadCodec),
    // Set from configuration, not from the heap limit (the SDK's default would cache thousands).
    maxCachedWorkflows: opts.tuning.cachedWorkflows,
    ...slots(opts),
    // Set from configuration (infra/config.ts): a waiting poll holds a slot.
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: opts.tuning.workflowPollers },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: opts.tuning.activityPollers },
    shutdownGraceTime: '5 seconds',
  });
  const done = worker.run().finally(() => (opts.connection ? undefined : connection.close()));
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** Fixed numbers of task slots, or the same numbers given to the intake first during a burst. */
function slots(opts: WorkerOptions) {
  const { workflowTaskSlots, activitySlots, burstHoldMs } = opts.tuning;
  const gauge = opts.intakeGauge;
  if (!gauge) {
    return {
      maxConcurrentWorkflowTaskExecutions: workflowTaskSlots,
      maxConcurrentActivityTaskExecutions: activitySlots,
    };
  }
  return {
    tuner: {
      workflowTaskSlotSupplier: intakeFirstSlots<WorkflowSlotInfo>(workflowTaskSlots, gauge, burstHoldMs),
      activityTaskSlotSupplier: intakeFirstSlots<ActivitySlotInfo>(activitySlots, gauge, burstHoldMs),
      localActivityTaskSlotSupplier: { type: 'fixed-size' as const, numSlots: activitySlots },
      nexusTaskSlotSupplier: { type: 'fixed-size' as const, numSlots: 1 },
    },
  };
}

/**
 * The schedule that erases personal data past its retention (workflows/erasure.ts): one
 * per task queue, made at the first start, its interval kept up to date with the configuration.
 */
export async function ensureRetentionSchedule(temporal: Client, taskQueue: string, everyMs: number) {
  const scheduleId = `lotse-retention-${taskQueue}`;
  const spec = { intervals: [{ every: everyMs }] };
  try {
    await temporal.schedule.create({
      scheduleId,
      spec,
      action: { type: 'startWorkflow', workflowType: RETENTION_SWEEP_WORKFLOW, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await temporal.schedule.getHandle(scheduleId).update((s) => ({ ...s, spec }));
  }
}

/**
 * A schedule per programme (an agreement with `monitoring`) that starts its report on the first
 * seven days of every quarter, early in the morning in Berlin; the workflow builds it on the
 * first working day only. Made when missing; an existing one is left as it is (an operator may
 * have paused it in the Web UI).
 */
export async function ensureReportSchedules(temporal: Client, taskQueue: string, programmes: string[]) {
  const spec = {
    calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: { start: 1, end: 7 }, hour: 6 }],
    timezone: 'Europe/Berlin',
  } as const;
  for (const programme of programmes) {
    const scheduleId = reportScheduleId(programme, taskQueue);
    try {
      await temporal.schedule.create({
        scheduleId,
        spec: { ...spec, calendars: spec.calendars.map((c) => ({ ...c, month: [...c.month] })) },
        action: {
          type: 'startWorkflow',
          workflowType: REPORT_WORKFLOW,
          workflowId: `report-${programme}`,
          taskQueue,
          args: [{ programme, mail: true }],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
        memo: { description: `Lotse: the quarterly report of ${programme}, mailed to its steering group` },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
