import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

/**
 * The yardstick's worker as a process of its own (`bench:load` measures its CPU beside
 * Lotse's): the trivial workflow, the SDK's defaults but for the cache Lotse uses.
 * Usage: tsx bench/raw/worker.ts <temporal address> <task queue> <cache size>; says "ready" on stdout.
 */
async function main(address: string, taskQueue: string, cache: number) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./workflows.ts'),
    maxCachedWorkflows: cache,
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.stdout.write('ready\n');
  await worker.run();
  await connection.close();
}

const [address, queue, cache] = process.argv.slice(2);
if (!address || !queue || !(Number(cache) > 0))
  throw new Error('usage: tsx bench/raw/worker.ts <temporal address> <task queue> <cache size>');
main(address, queue, Number(cache)).catch((err: Error) => {
  process.stderr.write(`raw worker: ${err.message}\n`);
  process.exit(1);
});
