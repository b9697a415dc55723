/**
 * One scheduled organization run through the service's job queue: `trailcheck serve --database` (which
 * runs no scan itself, --jobs 0) and 1, then 4, `trailcheck worker` processes on PostgreSQL, against a moto
 * organization behind the latency proxy. Wall time from "run the schedule now" to the scan stored, and
 * the peak RSS of each process. Part of `npm run bench:service` (--workers-only for this part alone).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchToolEnv } from '../test/support/aws.js';
import { CLI } from '../test/support/cli.js';
import { FaultProxy } from '../test/support/fault-proxy.js';
import { MotoServer } from '../test/support/moto.js';
import { TestPostgres } from '../test/support/postgres.js';
import { lakeRules } from '../test/support/scenarios/lake.js';
import { ORG_REGIONS, seedOrganization, warmUp } from './org.js';

export interface WorkerRunFigures {
  workers: number;
  members: number;
  wallSeconds: number;
  status: string;
  accountsAssessed: number;
  /** Peak RSS of each worker, and of serve. */
  workerPeakRssMiB: number[];
  servePeakRssMiB: number;
}

async function peakRssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : 0;
}

/** Starts a trailcheck process; resolves once its stderr matches `ready`. */
function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = ready.exec(stderr);
      if (match) resolve({ child, match });
    });
    child.on('exit', (code) => reject(new Error(`trailcheck ${args[0]} ended (${code}): ${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function runWorkerBench(
  options: { members: number; workerCounts: number[]; latencyMs: number },
  log: (line: string) => void,
): Promise<WorkerRunFigures[]> {
  const moto = await MotoServer.start();
  const proxy = await FaultProxy.start(moto.endpoint);
  const postgres = await TestPostgres.start();
  const home = await mkdtemp(join(tmpdir(), 'trailcheck-bench-workers-'));
  const token = 'tc_worker-bench-token';
  const results: WorkerRunFigures[] = [];
  const children: ChildProcess[] = [];
  try {
    log(`workers: building an organization of ${options.members} members on moto…`);
    const org = await seedOrganization(moto, options.members);
    await warmUp(moto, org);
    for (const rule of lakeRules([], ORG_REGIONS)) proxy.addRule(rule);
    proxy.setLatency(options.latencyMs > 0 ? { ms: options.latencyMs } : undefined);
    const env = { ...benchToolEnv(proxy.endpoint, moto, home), TRAILCHECK_API_TOKEN: token };
    for (const workers of options.workerCounts) {
      const database = await postgres.database();
      const serve = await start(
        ['serve', '--port', '0', '--database', database, '--jobs', '0'],
        env,
        /serving on (http:\/\/\S+) /,
      );
      children.push(serve.child);
      const url = serve.match[1] ?? '';
      const pool: ChildProcess[] = [];
      for (let i = 0; i < workers; i += 1) {
        const worker = await start(['worker', '--database', database], env, /\S/);
        pool.push(worker.child);
        children.push(worker.child);
      }
      const schedule = await call<{ id: string }>(url, token, 'POST', '/api/schedules', {
        name: 'nightly',
        cron: '0 3 * * *',
        request: { regions: [...ORG_REGIONS], organization: {} },
      });
      const started = performance.now();
      const { id } = await call<{ id: string }>(url, token, 'POST', `/api/schedules/${schedule.id}/run`);
      let scan: { status: string; summary: { accounts: number; accountsNotAssessed: number } | null };
      for (;;) {
        scan = await call(url, token, 'GET', `/api/scans/${id}`);
        if (scan.status === 'done' || scan.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const wallSeconds = (performance.now() - started) / 1000;
      const figures: WorkerRunFigures = {
        workers,
        members: options.members,
        wallSeconds,
        status: scan.status,
        accountsAssessed: (scan.summary?.accounts ?? 0) - (scan.summary?.accountsNotAssessed ?? 0),
        workerPeakRssMiB: await Promise.all(pool.map((w) => peakRssMiB(w.pid))),
        servePeakRssMiB: await peakRssMiB(serve.child.pid),
      };
      log(
        `workers: ${workers} worker(s): ${figures.status} in ${wallSeconds.toFixed(1)} s, ${figures.accountsAssessed} accounts assessed, worker RSS ${figures.workerPeakRssMiB.join('/')} MiB`,
      );
      results.push(figures);
      await Promise.all([...pool, serve.child].map(stop));
    }
    return results;
  } finally {
    await Promise.all(children.map(stop));
    await postgres.stop();
    await proxy.stop();
    await moto.stop();
    await rm(home, { recursive: true, force: true });
  }
}

export function formatWorkersMarkdown(results: readonly WorkerRunFigures[], latencyMs: number): string {
  const first = results[0];
  return [
    `One scheduled organization run (${first?.members ?? 0} members + management, ${ORG_REGIONS.length} Regions, ${latencyMs} ms a call) through serve --database --jobs 0 and pg-boss workers:`,
    '',
    '| Workers | Wall s | Status | Accounts assessed | Worker peak RSS MiB | serve peak RSS MiB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.workers} | ${r.wallSeconds.toFixed(1)} | ${r.status} | ${r.accountsAssessed} | ${r.workerPeakRssMiB.join(' / ')} | ${r.servePeakRssMiB} |`,
    ),
  ].join('\n');
}
