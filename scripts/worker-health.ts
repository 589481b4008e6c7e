import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../infra/config.js';

/**
 * The worker's health check (docker-compose): healthy while Temporal has seen a
 * worker poll the enquiry task queue for workflow tasks within the last minute.
 */
async function main() {
  const config = loadConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.embedded.temporalPort}`;
  const connection = await Connection.connect({ address, connectTimeout: 3_000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: config.temporal.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const recent = (pollers ?? []).filter((p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < 60_000);
    if (recent.length === 0) throw new Error(`no worker polls ${config.temporal.taskQueue} on ${address}`);
    console.log(`healthy: ${recent.length} poller(s) on ${config.temporal.taskQueue}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: Error) => {
  console.error(`unhealthy: ${err.message}`);
  process.exit(1);
});
