import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The two servers Lotse runs on: the Temporal CLI (its dev server) and nats-server.
 * A fitting binary on PATH is used as it is; otherwise the pinned version is built
 * once with `go install` into a tools folder outside the repo and reused.
 */

const run = promisify(execFile);

export interface Tool {
  name: 'temporal' | 'nats-server' | 'temporal-server' | 'temporal-sql-tool';
  module: string;
  /** The name `go install` gives the binary, when it is not the tool's. */
  builds?: string;
  /** Whether the output of `<binary> --version` names a version that does what Lotse needs. */
  fits(versionOutput: string): boolean;
}

const atLeast = (found: RegExpExecArray | null, major: number, minor: number) =>
  !!found && (Number(found[1]) > major || (Number(found[1]) === major && Number(found[2]) >= minor));

export const TEMPORAL: Tool = {
  name: 'temporal',
  // v1.6.0 on carries a replace directive and cannot be `go install`ed.
  module: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  // The CLI built by go install reports 0.0.0-DEV: what matters is the server it embeds.
  fits: (v) => atLeast(/Server (\d+)\.(\d+)/.exec(v), 1, 29),
};

export const NATS_SERVER: Tool = {
  name: 'nats-server',
  module: 'github.com/nats-io/nats-server/v2@v2.12.15',
  // 2.12 for sync_interval: always, array filter_subjects and per-key TTL.
  fits: (v) => atLeast(/v(\d+)\.(\d+)/.exec(v), 2, 12),
};

/** The Temporal server of the cluster profile: the version the CLI embeds (its go.mod has no replace). */
export const TEMPORAL_SERVER: Tool = {
  name: 'temporal-server',
  module: 'go.temporal.io/server/cmd/server@v1.29.1',
  builds: 'server',
  fits: (v) => /temporal version 1\.29\./.test(v),
};

/** Its SQL schema tool: creates and migrates the databases on PostgreSQL. */
export const TEMPORAL_SQL_TOOL: Tool = {
  name: 'temporal-sql-tool',
  module: 'go.temporal.io/server/cmd/tools/sql@v1.29.1',
  builds: 'sql',
  fits: (v) => /1\.29\./.test(v),
};

async function versionOf(binary: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(binary, ['--version'], { timeout: 10_000 });
    return stdout + stderr;
  } catch {
    return undefined;
  }
}

function onPath(name: string): string[] {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name));
}

/** Finds a fitting binary (tools folder first, then PATH) or builds the pinned one. */
export async function ensureTool(
  tool: Tool,
  toolsDir: string,
  progress: (line: string) => void = console.error,
): Promise<string> {
  for (const candidate of [path.join(toolsDir, tool.name), ...onPath(tool.name)]) {
    if (!existsSync(candidate)) continue;
    const version = await versionOf(candidate);
    if (version && tool.fits(version)) return candidate;
  }
  await build(tool, toolsDir, progress);
  return path.join(toolsDir, tool.name);
}

async function build(tool: Tool, toolsDir: string, progress: (line: string) => void): Promise<void> {
  mkdirSync(toolsDir, { recursive: true });
  // A binary with a generic name (server, sql) is built apart and renamed into the folder.
  const gobin = tool.builds ? mkdtempSync(path.join(toolsDir, '.build-')) : toolsDir;
  const started = Date.now();
  progress(`Building ${tool.name} (go install ${tool.module}) into ${toolsDir}; the first build takes a few minutes…`);
  const ticker = setInterval(
    () => progress(`  …still building ${tool.name}, ${Math.round((Date.now() - started) / 1000)} s`),
    15_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', tool.module], {
        env: { ...process.env, GOBIN: gobin },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      child.on('error', (err) =>
        reject(new Error(`cannot run go (${err.message}): install Go 1.22+ or put ${tool.name} on PATH`)),
      );
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`go install ${tool.module} failed:\n${stderr}`)),
      );
    });
    if (tool.builds) renameSync(path.join(gobin, tool.builds), path.join(toolsDir, tool.name));
  } finally {
    clearInterval(ticker);
    if (tool.builds) rmSync(gobin, { recursive: true, force: true });
  }
  progress(`Built ${tool.name} in ${Math.round((Date.now() - started) / 1000)} s.`);
}

export async function ensureTools(toolsDir: string, progress?: (line: string) => void) {
  return {
    temporal: await ensureTool(TEMPORAL, toolsDir, progress),
    natsServer: await ensureTool(NATS_SERVER, toolsDir, progress),
  };
}
