/**
 * The service's benchmark: a store holding a year of daily scans of an organization of 100 accounts,
 * then `trailcheck serve` on it answering its dashboard's API under 100 concurrent loopback clients for
 * 30 s (autocannon): requests per second, p50 and p99 latency, errors, and the service's peak RSS. The
 * store is seeded through the service's own Store (the same transaction a real scan ends with), with
 * synthetic organization reports: the load is on the store and the API, not on AWS.
 *
 * `npm run bench:service` (options: `-- --help`). Never part of the test suite, except a smoke test that
 * seeds a few days and asserts no time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CONTROLS } from '../src/controls/index.js';
import { JSON_REPORT_VERSION } from '../src/report/json.js';
import type { JsonReport } from '../src/report/json.js';
import { openDatabase } from '../src/service/store/database.js';
import { Store } from '../src/service/store/store.js';
import { CLI } from '../test/support/cli.js';
import { formatWorkersMarkdown, runWorkerBench } from './service-workers.js';

export interface ServiceBenchOptions {
  accounts: number;
  days: number;
  connections: number;
  durationS: number;
  /** Each endpoint alone for this long, after the mixed run (0: skip). */
  perEndpointS: number;
}

export const SERVICE_BENCH_DEFAULTS: ServiceBenchOptions = {
  accounts: 100,
  days: 365,
  connections: 100,
  durationS: 30,
  perEndpointS: 5,
};

/** A small deterministic generator, so every run seeds the same year. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const MANAGEMENT = '100000000000';
const accountId = (i: number) => (i === 0 ? MANAGEMENT : String(100000000000 + i));

/**
 * One day's organization report: every account, every control, one finding each (the account or its
 * trail), mostly passing, with a few failures that come and go from day to day.
 */
export function syntheticReport(day: number, accounts: number, start: Date): JsonReport {
  const random = prng(day * 7919 + accounts);
  const at = new Date(start.getTime() + day * 86_400_000).toISOString();
  const findings: JsonReport['findings'] = [];
  const views: JsonReport['accounts'] = [];
  const totals = { PASS: 0, FAIL: 0, UNKNOWN: 0, total: 0 };
  for (let a = 0; a < accounts; a += 1) {
    const id = accountId(a);
    const counts = { PASS: 0, FAIL: 0, UNKNOWN: 0, total: 0, suppressed: 0 };
    const controls: Array<{ id: string; status: 'PASS' | 'FAIL' | 'UNKNOWN' }> = [];
    for (const control of CONTROLS) {
      // A stable weak spot per account and control, plus day-to-day noise.
      const weak = prng(a * 131 + control.id.length)() < 0.1;
      const roll = random();
      const status = roll < (weak ? 0.6 : 0.03) ? 'FAIL' : roll > 0.995 ? 'UNKNOWN' : 'PASS';
      counts[status] += 1;
      counts.total += 1;
      controls.push({ id: control.id, status });
      findings.push({
        control: control.id,
        status,
        severity: control.severity,
        title: control.title,
        message:
          status === 'PASS'
            ? `Trail audit-${id} meets ${control.id}.`
            : `Trail audit-${id} does not meet ${control.id}: the evidence read on ${at.slice(0, 10)} shows why.`,
        resource: {
          type: 'AwsCloudTrailTrail',
          id: `arn:aws:cloudtrail:us-east-1:${id}:trail/audit-${id}`,
          name: `audit-${id}`,
          region: 'us-east-1',
        },
        evidence: [
          {
            source: 'cloudtrail:GetTrailStatus',
            region: 'us-east-1',
            facts: { IsLogging: status !== 'FAIL', LatestDeliveryTime: at },
          },
        ],
        remediation:
          status === 'PASS'
            ? null
            : {
                summary: `Fix ${control.id} on audit-${id}.`,
                cli: [`aws cloudtrail start-logging --name audit-${id}`],
                console: ['Open CloudTrail, choose the trail, turn logging on.'],
              },
        account: id,
      });
    }
    for (const key of ['PASS', 'FAIL', 'UNKNOWN', 'total'] as const) totals[key] += counts[key];
    views.push({
      id,
      name: a === 0 ? 'management' : `member-${a}`,
      assessed: true,
      integer_result: counts.FAIL + counts.UNKNOWN > 0 ? 1 : 0,
      summary: counts,
      controls,
    });
  }
  return {
    reportVersion: JSON_REPORT_VERSION,
    integer_result: totals.FAIL + totals.UNKNOWN > 0 ? 1 : 0,
    pretty_result: 'The probe executed successfully!',
    tool: { name: 'trailcheck', version: 'bench' },
    account: MANAGEMENT,
    partition: 'aws',
    regions: ['us-east-1'],
    startedAt: at,
    finishedAt: at,
    summary: { ...totals, suppressed: 0 },
    controls: CONTROLS.map((c) => ({
      id: c.id,
      title: c.title,
      severity: c.severity,
      status: findings.some((f) => f.control === c.id && f.status === 'FAIL') ? 'FAIL' : 'PASS',
      frameworks: [],
    })),
    findings,
    framework: null,
    notes: [],
    accounts: views,
    organization: { id: 'o-benchmark01', managementAccount: MANAGEMENT, leftOut: 0 },
  };
}

export interface SeedFigures {
  scans: number;
  historyRows: number;
  seconds: number;
  storeBytes: number;
  /** The newest two scans, for the endpoints that need ids. */
  latest: string;
  previous: string;
}

/** Fills an embedded store in `dir` with `days` daily organization scans, through Store.finishScan. */
export async function seedStore(
  dir: string,
  options: Pick<ServiceBenchOptions, 'accounts' | 'days'>,
): Promise<SeedFigures> {
  const started = performance.now();
  const store = new Store(await openDatabase({ kind: 'embedded', dir }));
  const start = new Date(Date.UTC(2025, 10, 29, 6));
  const request = { organization: {} };
  const ids: string[] = [];
  try {
    for (let day = 0; day < options.days; day += 1) {
      const report = syntheticReport(day, options.accounts, start);
      const at = report.finishedAt ?? '';
      const scan = await store.createScan({ request, trigger: 'schedule:daily', createdAt: at });
      await store.claimScan(scan.id);
      await store.finishScan(scan.id, {
        report,
        snapshot: '{"format":"trailcheck-organization-snapshot","bench":true}',
        suppressions: '',
        startedAt: at,
        finishedAt: at,
      });
      ids.push(scan.id);
    }
  } finally {
    await store.close();
  }
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(join(dir, 'trailcheck.db')));
  return {
    scans: options.days,
    historyRows: options.days * options.accounts * CONTROLS.length,
    seconds: (performance.now() - started) / 1000,
    storeBytes: size,
    latest: ids.at(-1) ?? '',
    previous: ids.at(-2) ?? ids.at(-1) ?? '',
  };
}

export interface LoadFigures {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

function loadFigures(name: string, result: autocannon.Result): LoadFigures {
  return {
    name,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

/** The dashboard's API calls: what its pages ask for. */
export function endpoints(seed: SeedFigures): Array<{ name: string; path: string }> {
  return [
    { name: 'list scans', path: '/api/scans?limit=50' },
    { name: 'one scan', path: `/api/scans/${seed.latest}` },
    { name: 'changes since the previous scan', path: `/api/scans/${seed.latest}/changes` },
    { name: 'a control over a year', path: '/api/history/controls/CloudTrail.1?view=series&limit=400' },
    { name: 'an account over a year', path: `/api/history/accounts/${MANAGEMENT}?view=series&limit=400` },
    { name: "a control's last 500 account verdicts", path: '/api/history/controls/CloudTrail.1?limit=500' },
    { name: 'the JSON report', path: `/api/scans/${seed.latest}/report?format=json` },
  ];
}

/**
 * Waits until the service answers /healthz quickly again: requests a load left queued must not be counted
 * against the next endpoint's figures.
 */
async function settle(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let quick = 0;
  while (quick < 3 && Date.now() < deadline) {
    const started = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    quick = performance.now() - started < 50 ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

export interface ServiceBenchResult {
  options: ServiceBenchOptions;
  seed: SeedFigures;
  mixed: LoadFigures;
  perEndpoint: LoadFigures[];
  servicePeakRssBytes: number;
  machine: { cpus: number; loadBefore: number };
}

export async function runServiceBench(
  options: ServiceBenchOptions,
  log: (line: string) => void = () => {},
): Promise<ServiceBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-service-bench-'));
  const token = 'tc_service-bench-token';
  try {
    const loadBefore = loadavg()[0] ?? 0;
    log(`seeding ${options.days} daily scans of ${options.accounts} accounts…`);
    const seed = await seedStore(dir, options);
    log(`seeded in ${seed.seconds.toFixed(1)} s, ${(seed.storeBytes / 2 ** 20).toFixed(1)} MiB`);
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dir], {
      env: { ...process.env, TRAILCHECK_API_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /serving on (http:\/\/\S+) /.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`serve ended: ${stderr}`)));
    });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const paths = endpoints(seed);
      let next = 0;
      log(`mixed load: ${options.connections} clients, ${options.durationS} s`);
      const mixed = await autocannon({
        url,
        connections: options.connections,
        duration: options.durationS,
        headers,
        // Bounded: a request that takes longer than this counts as a timeout, not a wait.
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const endpoint = paths[next % paths.length];
              next += 1;
              return { ...request, path: endpoint?.path ?? '/healthz' };
            },
          },
        ],
      });
      const perEndpoint: LoadFigures[] = [];
      if (options.perEndpointS > 0)
        for (const endpoint of paths) {
          await settle(url);
          log(`${endpoint.name}: ${options.perEndpointS} s`);
          const result = await autocannon({
            url: `${url}${endpoint.path}`,
            connections: options.connections,
            duration: options.perEndpointS,
            headers,
            timeout: 30,
          });
          perEndpoint.push(loadFigures(endpoint.name, result));
        }
      const rss = await peakRss(child.pid ?? 0);
      return {
        options,
        seed,
        mixed: loadFigures('mixed', mixed),
        perEndpoint,
        servicePeakRssBytes: rss,
        machine: { cpus: cpus().length, loadBefore },
      };
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatServiceMarkdown(result: ServiceBenchResult): string {
  const { seed, options } = result;
  const row = (f: LoadFigures) =>
    `| ${f.name} | ${f.requests} | ${f.requestsPerSecond.toFixed(0)} | ${f.p50Ms} | ${f.p99Ms} | ${f.maxMs} | ${f.errors + f.timeouts + f.non2xx} |`;
  return [
    `Store: ${seed.scans} daily scans of ${options.accounts} accounts (${seed.historyRows.toLocaleString('en')} history rows), ${(seed.storeBytes / 2 ** 20).toFixed(1)} MiB, seeded in ${seed.seconds.toFixed(1)} s.`,
    `Load: ${options.connections} concurrent loopback clients; service peak RSS ${(result.servicePeakRssBytes / 2 ** 20).toFixed(0)} MiB; ${result.machine.cpus} cores, load ${result.machine.loadBefore.toFixed(1)} before.`,
    '',
    '| Requests | Total | Req/s | p50 ms | p99 ms | max ms | Errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row({ ...result.mixed, name: `mixed, ${options.durationS} s` }),
    ...result.perEndpoint.map(row),
  ].join('\n');
}

const HELP = `Usage: node dist/bench/service.js [--accounts N] [--days N] [--connections N] [--duration S]
                                  [--per-endpoint S] [--api-only | --workers-only] [--members N] [--workers N,N]

  The store and the API: a year of daily scans of --accounts (default 100) under --connections clients.
  The workers: one scheduled organization run of --members (default 40) on moto (40 ms a call) through
  serve --database and 1, then 4 (--workers), trailcheck worker processes on PostgreSQL.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      days: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'per-endpoint': { type: 'string' },
      'api-only': { type: 'boolean' },
      'workers-only': { type: 'boolean' },
      members: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const number = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);
  const options: ServiceBenchOptions = {
    accounts: number(values.accounts, SERVICE_BENCH_DEFAULTS.accounts),
    days: number(values.days, SERVICE_BENCH_DEFAULTS.days),
    connections: number(values.connections, SERVICE_BENCH_DEFAULTS.connections),
    durationS: number(values.duration, SERVICE_BENCH_DEFAULTS.durationS),
    perEndpointS: number(values['per-endpoint'], SERVICE_BENCH_DEFAULTS.perEndpointS),
  };
  const log = (line: string) => console.error(`bench: ${line}`);
  const api = values['workers-only'] ? undefined : await runServiceBench(options, log);
  if (api) console.log(formatServiceMarkdown(api));
  const latencyMs = 40;
  const workers = values['api-only']
    ? undefined
    : await runWorkerBench(
        {
          members: number(values.members, 40),
          workerCounts: (values.workers ?? '1,4').split(',').map(Number),
          latencyMs,
        },
        log,
      );
  if (workers) console.log(`\n${formatWorkersMarkdown(workers, latencyMs)}`);
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { packageRoot } = await import('../src/util/package-root.js');
  const out = join(packageRoot(), 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, 'service-latest.json'),
    `${JSON.stringify({ finishedAt: new Date().toISOString(), api, workers }, null, 2)}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
