/**
 * The API calls of the CIS monitoring checks (`npm run bench:monitoring`): trailcheck collecting for each
 * check alone, and for all fifteen at once, on moto with the whole chain seeded (one multi-Region trail,
 * its log group with the fifteen CIS filters, an alarm each, one topic with a subscription), then again
 * with `--noise` unrelated alarms in the trail's Region, which only DescribeAlarms's pages should feel.
 * Counted by trailcheck's own call log (snapshot.stats.apiCalls), by operation. Prowler's counts for its
 * equivalent checks are in docs/benchmark.md, beside these.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { collect } from '../src/collect/index.js';
import { CONTROLS } from '../src/controls/index.js';
import type { ControlDefinition } from '../src/controls/types.js';
import { CIS_MONITORING_PATTERNS } from '../src/evaluate/cis-patterns.js';
import { assess } from '../src/judge/assess.js';
import { packageRoot } from '../src/util/package-root.js';
import { benchToolEnv, motoAccess, seedClients } from '../test/support/aws.js';
import { FaultProxy } from '../test/support/fault-proxy.js';
import { MotoServer } from '../test/support/moto.js';
import { measure } from './measure.js';
import { MONITORING_CHECK_MAPPING, PROWLER_VERSION, ensureProwler, prowlerArgs } from './prowler.js';
import { summarizeTraffic } from './traffic.js';
import { printedCisFilters, seedMonitoringChain } from '../test/support/scenarios/monitoring.js';
import { SEED_TRAIL, seedScenario } from '../test/support/scenarios/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const MONITORING = CONTROLS.filter((c) => CIS_MONITORING_PATTERNS[c.id] !== undefined);

export interface MonitoringCallsRow {
  controls: string;
  /** Calls by operation, summed over Regions. */
  byOperation: Record<string, number>;
  /** Calls of the chain only (logs, cloudwatch, sns). */
  chainCalls: number;
  total: number;
  verdicts: Record<string, string>;
}

async function trailcheckCalls(
  moto: MotoServer,
  label: string,
  controls: readonly ControlDefinition[],
): Promise<MonitoringCallsRow> {
  const snapshot = await collect({ access: motoAccess(moto), regions: REGIONS, controls });
  const byOperation: Record<string, number> = {};
  for (const c of snapshot.stats.apiCalls)
    byOperation[c.operation] = (byOperation[c.operation] ?? 0) + c.calls;
  const total = Object.values(byOperation).reduce((n, c) => n + c, 0);
  const chainCalls = Object.entries(byOperation)
    .filter(([op]) => /^(logs|cloudwatch|sns):/.test(op))
    .reduce((n, [, c]) => n + c, 0);
  const verdicts = Object.fromEntries(
    assess(snapshot, controls).results.map((r) => [r.control.id, r.status]),
  );
  return { controls: label, byOperation, chainCalls, total, verdicts };
}

/** One Prowler process on `checks`, its calls as the proxy in front of moto saw them (HTTP requests). */
async function prowlerCalls(
  executable: string,
  proxy: FaultProxy,
  moto: MotoServer,
  scratch: string,
  label: string,
  checks: readonly string[],
): Promise<MonitoringCallsRow> {
  const dir = join(scratch, label);
  await mkdir(dir, { recursive: true });
  proxy.clearLog();
  const measured = await measure(executable, prowlerArgs(REGIONS, dir, checks), {
    env: benchToolEnv(proxy.endpoint, moto, scratch),
    dir: scratch,
    label,
  });
  if (measured.exitCode !== 0)
    throw new Error(`Prowler exited ${measured.exitCode}: ${measured.stderr.slice(-2000)}`);
  const byOperation = summarizeTraffic(proxy.log, measured.startedAt).byOperation;
  const total = Object.values(byOperation).reduce((n, c) => n + c, 0);
  const chainCalls = Object.entries(byOperation)
    .filter(([op]) => /^(logs|cloudwatch|monitoring|sns):/i.test(op))
    .reduce((n, [, c]) => n + c, 0);
  return { controls: `Prowler ${PROWLER_VERSION}: ${label}`, byOperation, chainCalls, total, verdicts: {} };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { noise: { type: 'string', default: '250' }, prowler: { type: 'boolean', default: false } },
  });
  const noise = Number(values.noise);
  if (!Number.isInteger(noise) || noise < 0)
    throw new Error(`--noise takes a whole number, not ${values.noise}`);
  const moto = await MotoServer.start();
  try {
    const aws = seedClients(moto);
    await seedScenario(aws);
    await seedMonitoringChain(aws, { trail: SEED_TRAIL, filters: printedCisFilters() });
    const rows: MonitoringCallsRow[] = [];
    // Prowler reads whole services, not per check: one check alone and all fifteen show what a check costs.
    const executable = values.prowler
      ? ensureProwler((line) => process.stderr.write(`${line}\n`))
      : undefined;
    const proxy = executable ? await FaultProxy.start(moto.endpoint) : undefined;
    const scratch = await mkdtemp(join(tmpdir(), 'trailcheck-bench-monitoring-'));
    const checks = MONITORING_CHECK_MAPPING.map((m) => m.check);
    const prowler = async (label: string, chosen: readonly string[]) => {
      if (executable && proxy) rows.push(await prowlerCalls(executable, proxy, moto, scratch, label, chosen));
    };
    try {
      for (const control of MONITORING) rows.push(await trailcheckCalls(moto, control.id, [control]));
      rows.push(await trailcheckCalls(moto, `all ${MONITORING.length}`, MONITORING));
      await prowler(checks[0] as string, checks.slice(0, 1));
      await prowler(`all ${checks.length}`, checks);
      // Unrelated alarms: the chain's cost should grow only by DescribeAlarms pages (100 alarms a page on AWS).
      const cloudWatch = aws.cloudWatch('us-east-1');
      for (let i = 0; i < noise; i++)
        await cloudWatch.send(
          new PutMetricAlarmCommand({
            AlarmName: `noise-${i}`,
            MetricName: `Noise${i}`,
            Namespace: 'Other',
            Statistic: 'Sum',
            Period: 300,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          }),
        );
      const noisy = `+${noise} unrelated alarms`;
      rows.push(await trailcheckCalls(moto, `all ${MONITORING.length}, ${noisy}`, MONITORING));
      await prowler(`all ${checks.length}, ${noisy}`, checks);
    } finally {
      await proxy?.stop();
      await rm(scratch, { recursive: true, force: true });
    }
    const out = join(packageRoot(), 'bench', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(
      join(out, 'monitoring-calls.json'),
      `${JSON.stringify({ regions: REGIONS, rows }, null, 2)}\n`,
    );
    const ops = [...new Set(rows.flatMap((r) => Object.keys(r.byOperation)))].sort();
    process.stdout.write(`| Controls | ${ops.join(' | ')} | chain calls | total |\n`);
    process.stdout.write(`|---|${ops.map(() => '---:').join('|')}|---:|---:|\n`);
    for (const r of rows)
      process.stdout.write(
        `| ${r.controls} | ${ops.map((op) => r.byOperation[op] ?? 0).join(' | ')} | ${r.chainCalls} | ${r.total} |\n`,
      );
    const failing = rows.flatMap((r) =>
      Object.entries(r.verdicts)
        .filter(([, s]) => s !== 'PASS')
        .map(([id, s]) => `${r.controls}: ${id} ${s}`),
    );
    if (failing.length > 0)
      process.stdout.write(`Not PASS (the seeded chain should pass): ${failing.join('; ')}\n`);
  } finally {
    await moto.stop();
  }
}

await main();
