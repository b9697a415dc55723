/**
 * The benchmark: trailcheck against Prowler on the same moto, through the same latency proxy, on accounts
 * of growing size, in one run. `npm run bench` (options: `npm run bench -- --help`). Prints a table and
 * writes it as JSON to bench/results/. Never part of the test suite, except its smoke test, which runs the
 * smallest size without Prowler and asserts no time.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CONTROLS } from '../src/controls/index.js';
import { JsonReportSchema } from '../src/report/json.js';
import { packageRoot } from '../src/util/package-root.js';
import { benchToolEnv, seedClients, TEST_CREDENTIALS } from '../test/support/aws.js';
import { FaultProxy } from '../test/support/fault-proxy.js';
import { ensureMoto, MOTO_VERSION } from '../test/support/moto-install.js';
import { MotoServer } from '../test/support/moto.js';
import { lakeRules } from '../test/support/scenarios/lake.js';
import { measure, median } from './measure.js';
import type { Measured } from './measure.js';
import {
  CHECK_MAPPING,
  ensureProwler,
  mappedControls,
  PROWLER_VERSION,
  prowlerArgs,
  readProwlerFindings,
} from './prowler.js';
import {
  CUSTODIAN_POLICIES,
  CUSTODIAN_VERSION,
  custodianArgs,
  ensureCustodian,
  readCustodianFindings,
} from './custodian.js';
import {
  formatGrowthMarkdown,
  formatGrowthReport,
  DEFAULT_GROWTH_CAP_S,
  parseGrowthTrails,
  runGrowth,
} from './growth.js';
import type { GrowthOptions, GrowthResult } from './growth.js';
import {
  DEFAULT_PROWLER_CAP_S,
  ORG_MEMBERS_CAP_IN_FULL_BENCH,
  parseOrgMembers,
  PROWLER_MAX_MEMBERS,
  PROWLER_PARALLEL,
  runOrgCurve,
} from './org.js';
import type { OrgBenchOptions } from './org.js';
import { formatMarkdown, formatOrgMarkdown, formatOrgReport, formatReport } from './report.js';
import { seedAccount } from './seed.js';
import { describeSize, parseSizes, regionsOf, SIZES } from './sizes.js';
import type { BenchSize } from './sizes.js';
import type {
  BenchResult,
  HeapFigures,
  OrgBenchResult,
  RunFigures,
  SizeResult,
  ToolId,
  ToolResult,
} from './results.js';
export type { BenchResult, HeapFigures, RunFigures, SizeResult, ToolId, ToolResult } from './results.js';
import { summarizeTraffic } from './traffic.js';
import type { Traffic } from './traffic.js';

export const TOOL_LABELS: Record<ToolId, string> = {
  trailcheck: `trailcheck, ${mappedControls().length} mapped controls`,
  'trailcheck-all': `trailcheck, all ${CONTROLS.length} controls`,
  prowler: `Prowler ${PROWLER_VERSION}, ${CHECK_MAPPING.length} checks`,
  custodian: `Cloud Custodian ${CUSTODIAN_VERSION}, ${CUSTODIAN_POLICIES.filter((p) => p.controls.length > 0).length} policies`,
};

export interface BenchOptions {
  sizes: BenchSize[];
  latencyMs: number;
  jitterMs: number;
  /** Runs per trailcheck configuration (the median is reported); Prowler runs once per latency. */
  repeat: number;
  prowler: boolean;
  custodian: boolean;
  /** Where the JSON goes; undefined for nowhere. */
  outDir: string | undefined;
  log: (line: string) => void;
  /** Also the growth curve (before moto starts, so the emulator takes no CPU from it). */
  growth?: GrowthOptions;
  /** Also the organization curve (on a moto of its own, before the accounts' one starts). */
  org?: OrgBenchOptions;
}

/**
 * What `latest.json` holds: a whole run, or (after `--growth-only` or `--org-only`) an earlier run with a
 * new growth or organization curve.
 */
export type BenchFile = Partial<BenchResult> & { growth?: GrowthResult; org?: OrgBenchResult };

/** Writes a run as `bench-<time>.json`, `latest.json` and `latest.md` into `outDir`. */
export async function writeResults(outDir: string, file: BenchFile, stamp: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  await writeFile(join(outDir, `bench-${stamp.replace(/[:.]/g, '-')}.json`), text);
  await writeFile(join(outDir, 'latest.json'), text);
  const parts = [
    ...(file.sizes && file.sizes.length > 0 ? [formatMarkdown(file as BenchResult)] : []),
    ...(file.growth ? [formatGrowthMarkdown(file.growth)] : []),
    ...(file.org ? [formatOrgMarkdown(file.org)] : []),
  ];
  await writeFile(join(outDir, 'latest.md'), parts.join('\n'));
}

/**
 * `--growth-only`: the growth curve replaces the one in `latest.json`, and the rest of the last full run
 * is kept (a file that is missing or not JSON is simply replaced).
 */
export async function writeGrowthOnly(outDir: string, growth: GrowthResult): Promise<void> {
  await writeOnePart(outDir, { growth }, growth.startedAt);
}

/** `--org-only`: the organization curve replaces the one in `latest.json`, the rest of the last run kept. */
export async function writeOrgOnly(outDir: string, org: OrgBenchResult): Promise<void> {
  await writeOnePart(outDir, { org }, org.startedAt);
}

async function writeOnePart(
  outDir: string,
  part: { growth: GrowthResult } | { org: OrgBenchResult },
  stamp: string,
): Promise<void> {
  let earlier: BenchFile = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(join(outDir, 'latest.json'), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) earlier = parsed;
  } catch {
    // No earlier run, or an unreadable one: the growth curve alone.
  }
  await writeResults(outDir, { ...earlier, ...part }, stamp);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function enabledRegions(moto: MotoServer): Promise<string[]> {
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: TEST_CREDENTIALS,
  });
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    return (out.Regions ?? [])
      .filter((r) => r.OptInStatus !== 'not-opted-in' && r.RegionName && !/^(cn|us-gov)-/.test(r.RegionName))
      .map((r) => r.RegionName as string)
      .sort();
  } finally {
    ec2.destroy();
  }
}

interface OneRun {
  measured: Measured;
  traffic: Traffic;
  findings: number;
  trailsSeen: number;
  selfCountedCalls?: number;
  loggedErrors: string[];
}

/** The error lines a peer logged, cleaned by `clean`, distinct, at most ten. */
function distinctErrors(
  output: string,
  isError: (line: string) => boolean,
  clean: (line: string) => string,
): string[] {
  const lines = output
    .split('\n')
    .filter(isError)
    .map((line) => clean(line).slice(0, 300));
  return [...new Set(lines)].slice(0, 10);
}

/** How the benchmark runs one peer: its command line, where it reports, and which lines are its errors. */
interface Peer {
  name: string;
  executable: string;
  args: (regions: readonly string[], runDir: string) => Promise<string[]> | string[];
  read: (runDir: string) => Promise<{ findings: number; trailArns: string[] }>;
  errors: (output: string) => string[];
}

function prowlerPeer(executable: string): Peer {
  return {
    name: 'Prowler',
    executable,
    args: prowlerArgs,
    read: readProwlerFindings,
    // Its ERROR lines, without time stamps and Regions.
    errors: (output) =>
      distinctErrors(
        output,
        (line) => line.includes(' ERROR: '),
        (line) => line.replace(/^.* ERROR: (\S+ -- )?/, ''),
      ),
  };
}

function custodianPeer(executable: string): Peer {
  return {
    name: 'Cloud Custodian',
    executable,
    args: custodianArgs,
    read: async (runDir) => {
      const found = await readCustodianFindings(runDir);
      return { findings: found.resources, trailArns: found.trailArns };
    },
    errors: (output) =>
      distinctErrors(
        output,
        (line) => /:(ERROR|WARNING) /.test(line),
        (line) => line.replace(/^[\d-]+ [\d:,]+: /, ''),
      ),
  };
}

async function runTrailcheck(
  proxy: FaultProxy,
  env: NodeJS.ProcessEnv,
  dir: string,
  label: string,
  regions: string[],
  controls: string[],
  seededArns: ReadonlySet<string>,
  nodeFlags: string[] = [],
): Promise<OneRun> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const output = join(dir, `${label}.json`);
  proxy.clearLog();
  const measured = await measure(
    process.execPath,
    [
      ...nodeFlags,
      cli,
      'scan',
      '--region',
      regions.join(','),
      '--controls',
      controls.join(','),
      '--format',
      'json',
      '-o',
      output,
    ],
    { env, dir, label },
  );
  const traffic = summarizeTraffic(proxy.log, measured.startedAt);
  if (measured.exitCode > 1) throw new Error(`trailcheck exited ${measured.exitCode}: ${measured.stderr}`);
  const report = JsonReportSchema.parse(JSON.parse(await readFile(output, 'utf8')));
  const trails = new Set(
    report.findings.filter((f) => f.resource.type === 'AwsCloudTrailTrail').map((f) => f.resource.id),
  );
  return {
    measured,
    traffic,
    findings: report.findings.length,
    trailsSeen: [...trails].filter((arn) => seededArns.has(arn)).length,
    selfCountedCalls: report.stats?.apiCalls ?? 0,
    loggedErrors: [],
  };
}

/** Runs a peer once, in a folder of its own, and reads what it found and which seeded trails it named. */
async function runPeer(
  proxy: FaultProxy,
  peer: Peer,
  env: NodeJS.ProcessEnv,
  dir: string,
  label: string,
  regions: string[],
  seededArns: ReadonlySet<string>,
): Promise<OneRun> {
  const runDir = join(dir, label);
  await mkdir(runDir, { recursive: true });
  const args = await peer.args(regions, runDir);
  proxy.clearLog();
  const measured = await measure(peer.executable, args, { env, dir, label });
  const traffic = summarizeTraffic(proxy.log, measured.startedAt);
  if (measured.exitCode !== 0)
    throw new Error(`${peer.name} exited ${measured.exitCode}: ${measured.stderr.slice(-2000)}`);
  const found = await peer.read(runDir);
  return {
    measured,
    traffic,
    findings: found.findings,
    trailsSeen: found.trailArns.filter((arn) => seededArns.has(arn)).length,
    loggedErrors: peer.errors(`${measured.stdout}\n${measured.stderr}`),
  };
}

function figures(runs: OneRun[]): RunFigures {
  const wall = runs.map((r) => r.measured.wallMs);
  const mid = median(wall);
  // The repeat closest to the median is reported in full.
  const chosen = [...runs].sort(
    (a, b) => Math.abs(a.measured.wallMs - mid) - Math.abs(b.measured.wallMs - mid),
  )[0] as OneRun;
  return {
    wallMs: mid,
    wallRunsMs: wall,
    maxRssKb: Math.max(...runs.map((r) => r.measured.maxRssKb)),
    cpuMs: chosen.measured.cpuMs,
    exitCode: chosen.measured.exitCode,
    traffic: chosen.traffic,
    findings: chosen.findings,
    trailsSeen: chosen.trailsSeen,
    ...(chosen.selfCountedCalls !== undefined ? { selfCountedCalls: chosen.selfCountedCalls } : {}),
    loggedErrors: [...new Set(runs.flatMap((r) => r.loggedErrors))].slice(0, 10),
  };
}

/** Runs the benchmark and returns its figures (and writes them as JSON when `outDir` is given). */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log;
  const started = new Date();
  const loadStart = loadavg();
  const growth = options.growth ? await runGrowth(options.growth) : undefined;
  const org = options.org ? await runOrgCurve(options.org) : undefined;
  const python = ensureMoto(log);
  log(`moto ${MOTO_VERSION} (${python})`);
  const prowler = options.prowler ? ensureProwler(log) : undefined;
  const custodian = options.custodian ? ensureCustodian(log) : undefined;
  const moto = await MotoServer.start();
  const proxy = await FaultProxy.start(moto.endpoint);
  const scratch = await mkdtemp(join(tmpdir(), 'trailcheck-bench-'));
  const notes: string[] = [];
  try {
    const enabled = await enabledRegions(moto);
    const sizes: SizeResult[] = [];
    for (const size of options.sizes) {
      const regions = regionsOf(size, enabled);
      await moto.reset();
      const seedStart = performance.now();
      const account = await seedAccount(seedClients(moto), size, regions);
      const seedMs = performance.now() - seedStart;
      const description = describeSize(size, regions.length);
      log(
        `${description}: seeded ${account.trails.length} trails, ${account.buckets.length} buckets in ${(seedMs / 1000).toFixed(1)} s`,
      );
      const seeded = new Set(account.trails.map((t) => t.arn));
      // moto lacks CloudTrail Lake: the proxy answers "no event data stores" for it, after the same latency.
      proxy.clearRules();
      for (const rule of lakeRules([], regions)) proxy.addRule(rule);
      const env = benchToolEnv(proxy.endpoint, moto, scratch);
      // moto builds a service's state on its first call after a reset (EC2's default VPCs in every Region
      // take most of a second): one untimed full scan warms every service trailcheck and Prowler share.
      await runTrailcheck(proxy, env, scratch, `${size.name}-warm-up`, regions, ['all'], seeded);

      const tools: ToolId[] = [
        'trailcheck',
        'trailcheck-all',
        ...(prowler ? (['prowler'] as const) : []),
        ...(custodian ? (['custodian'] as const) : []),
      ];
      type Phase = 'live' | 'idle' | 'replayed';
      const perTool = new Map<ToolId, Record<Phase, OneRun[]>>();
      for (const tool of tools) perTool.set(tool, { live: [], idle: [], replayed: [] });
      const runTool = (tool: ToolId, label: string) =>
        tool === 'prowler'
          ? runPeer(proxy, prowlerPeer(prowler as string), env, scratch, label, regions, seeded)
          : tool === 'custodian'
            ? runPeer(proxy, custodianPeer(custodian as string), env, scratch, label, regions, seeded)
            : runTrailcheck(
                proxy,
                env,
                scratch,
                label,
                regions,
                tool === 'trailcheck' ? mappedControls() : ['all'],
                seeded,
              );
      const phases: Array<{ phase: Phase; latency: number }> = [
        { phase: 'live', latency: options.latencyMs },
        { phase: 'idle', latency: 0 },
        { phase: 'replayed', latency: options.latencyMs },
      ];
      for (const { phase, latency } of phases) {
        if (phase === 'replayed') {
          // One untimed run per tool records moto's answers; the timed runs then get them from the proxy.
          proxy.setLatency(undefined);
          proxy.replay(true);
          for (const tool of tools) await runTool(tool, `${size.name}-${tool}-recording`);
        }
        proxy.setLatency(latency > 0 ? { ms: latency, jitterMs: options.jitterMs } : undefined);
        for (const tool of tools) {
          // The peers take seconds to start: one run each; trailcheck's median of `repeat`.
          const runs = tool === 'prowler' || tool === 'custodian' ? 1 : options.repeat;
          for (let i = 0; i < runs; i++) {
            const run = await runTool(tool, `${size.name}-${tool}-${phase}-${i}`);
            perTool.get(tool)?.[phase].push(run);
            log(
              `  ${TOOL_LABELS[tool]}, ${phase === 'replayed' ? 'replayed answers' : 'moto'}, latency ${latency} ms: ${(run.measured.wallMs / 1000).toFixed(2)} s, ${run.traffic.requests} calls, ${(run.measured.maxRssKb / 1024).toFixed(0)} MiB, ${run.trailsSeen}/${seeded.size} trails seen`,
            );
            // Let moto settle between runs.
            await sleep(200);
          }
        }
      }
      proxy.replay(false);
      proxy.setLatency(undefined);
      // One more run of each trailcheck configuration, untimed, measures its live heap (see HeapFigures).
      const heaps = new Map<ToolId, HeapFigures>();
      for (const tool of tools.filter((t) => t === 'trailcheck' || t === 'trailcheck-all')) {
        const heapOut = join(scratch, `${size.name}-${tool}-heap-probe.json`);
        await runTrailcheck(
          proxy,
          { ...env, BENCH_HEAP_OUT: heapOut },
          scratch,
          `${size.name}-${tool}-heap`,
          regions,
          tool === 'trailcheck' ? mappedControls() : ['all'],
          seeded,
          ['--expose-gc', '--import', join(packageRoot(), 'dist', 'bench', 'heap-probe.js')],
        );
        const probed = JSON.parse(await readFile(heapOut, 'utf8')) as {
          samples: number;
          peakLiveBytes: number;
        };
        heaps.set(tool, { peakLiveMb: probed.peakLiveBytes / 1048576, samples: probed.samples });
      }
      const results: ToolResult[] = tools.map((tool) => {
        const runs = perTool.get(tool) as Record<Phase, OneRun[]>;
        const withLatency = figures(runs.live);
        const withoutLatency = figures(runs.idle);
        const replayed = figures(runs.replayed);
        const latency = options.latencyMs;
        return {
          tool,
          label: TOOL_LABELS[tool],
          withLatency,
          withoutLatency,
          replayed,
          roundTripsWall: withLatency.wallMs / latency,
          roundTripsReplayed: replayed.traffic.apiSpanMs / latency,
          heap: heaps.get(tool),
        };
      });
      sizes.push({
        size,
        description,
        regions,
        trails: account.trails.length,
        buckets: account.buckets.length,
        seedMs,
        tools: results,
      });
    }
    const { TOOL_VERSION } = await import('../src/version.js');
    const result: BenchResult = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      repeat: options.repeat,
      machine: {
        cpus: cpus().length,
        node: process.version,
        platform: process.platform,
        loadStart,
        loadEnd: loadavg(),
      },
      versions: {
        trailcheck: TOOL_VERSION,
        prowler: prowler ? PROWLER_VERSION : null,
        custodian: custodian ? CUSTODIAN_VERSION : null,
        moto: MOTO_VERSION,
      },
      mapping: CHECK_MAPPING,
      trailcheckControls: mappedControls(),
      sizes,
      notes,
      ...(growth ? { growth } : {}),
      ...(org ? { org } : {}),
    };
    if (options.outDir !== undefined) await writeResults(options.outDir, result, result.startedAt);
    return result;
  } finally {
    await proxy.stop();
    await moto.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

const USAGE = `Usage: npm run bench -- [--sizes S,M,L] [--latency MS] [--jitter MS] [--repeat N] [--no-prowler] [--no-custodian]
                       [--growth-only | --no-growth] [--growth-sizes N,N] [--growth-cap S]
                       [--org-only | --no-org] [--org-sizes N,N] [--org-controls mapped|all]
                       [--org-concurrency N] [--org-prowler-cap S] [--out DIR]

  --sizes     which accounts to seed (default all): ${SIZES.map((s) => describeSize(s, s.regions === 'all' ? 20 : s.regions)).join('; ')}
  --latency   delay the proxy adds to every API call, in ms (default 40, close to a real AWS round trip)
  --jitter    up to this much more at random, in ms (default 0)
  --repeat    runs of each trailcheck configuration; the median is reported (default 3; Prowler runs once)
  --no-prowler    leave Prowler out (no install, no run)
  --no-custodian  leave Cloud Custodian out (no install, no run)
  --growth-only   only the growth curve of judging, planning and reporting (no moto, no peers; also npm run bench:growth)
  --no-growth     leave the growth curve out
  --growth-sizes  trail counts of the growth curve (default ${parseGrowthTrails(undefined).join(',')})
  --growth-cap    seconds a growth size may take; it is stopped there and bigger sizes are skipped (default ${DEFAULT_GROWTH_CAP_S})
  --org-only      only the organization curve: trailcheck scan --org and Prowler per account on moto organizations (also npm run bench:org)
  --no-org        leave the organization curve out
  --org-sizes     member counts of the organization curve (default ${parseOrgMembers(undefined).join(',')} with --org-only, ${parseOrgMembers(undefined, ORG_MEMBERS_CAP_IN_FULL_BENCH).join(',')} in a full run);
                  Prowler runs on those up to ${PROWLER_MAX_MEMBERS}, ${PROWLER_PARALLEL} processes at a time
  --org-controls  trailcheck's controls there: mapped (the ones answering Prowler's checks, default) or all
  --org-concurrency  trailcheck's --concurrency there (default: its own)
  --org-prowler-cap  seconds after which no new Prowler process starts at a size; its time for every account
                  is then projected from those it ran, and said to be (default ${DEFAULT_PROWLER_CAP_S})
  --out       where the JSON goes (default bench/results)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      latency: { type: 'string', default: '40' },
      jitter: { type: 'string', default: '0' },
      repeat: { type: 'string', default: '3' },
      'no-prowler': { type: 'boolean', default: false },
      'no-custodian': { type: 'boolean', default: false },
      'growth-only': { type: 'boolean', default: false },
      'no-growth': { type: 'boolean', default: false },
      'growth-sizes': { type: 'string' },
      'growth-cap': { type: 'string', default: String(DEFAULT_GROWTH_CAP_S) },
      'org-only': { type: 'boolean', default: false },
      'no-org': { type: 'boolean', default: false },
      'org-sizes': { type: 'string' },
      'org-controls': { type: 'string', default: 'mapped' },
      'org-concurrency': { type: 'string' },
      'org-prowler-cap': { type: 'string', default: String(DEFAULT_PROWLER_CAP_S) },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const number = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min)
      throw new Error(`--${name} must be a number of at least ${min}`);
    return value;
  };
  if (values['growth-only'] && values['no-growth'])
    throw new Error('--growth-only and --no-growth contradict each other; use one');
  if (values['org-only'] && values['no-org'])
    throw new Error('--org-only and --no-org contradict each other; use one');
  if (values['org-only'] && values['growth-only'])
    throw new Error('--org-only and --growth-only each run one part alone; use one');
  const orgControls = values['org-controls'];
  if (orgControls !== 'mapped' && orgControls !== 'all')
    throw new Error(`--org-controls is mapped or all (got '${orgControls}')`);
  const log = (line: string) => console.error(line);
  const growth: GrowthOptions = {
    trails: parseGrowthTrails(values['growth-sizes']),
    capSeconds: number('growth-cap', values['growth-cap'], 1),
    log,
  };
  const outDir = values.out ?? join(packageRoot(), 'bench', 'results');
  const latencyMs = number('latency', values.latency, 1);
  const org = (cap?: number): OrgBenchOptions => ({
    members: parseOrgMembers(values['org-sizes'], cap),
    latencyMs,
    prowler: !values['no-prowler'],
    prowlerMaxMembers: PROWLER_MAX_MEMBERS,
    prowlerParallel: PROWLER_PARALLEL,
    prowlerCapSeconds: number('org-prowler-cap', values['org-prowler-cap'], 1),
    controls: orgControls,
    ...(values['org-concurrency'] !== undefined
      ? { concurrency: Math.round(number('org-concurrency', values['org-concurrency'], 1)) }
      : {}),
    log,
  });
  if (values['org-only']) {
    const result = await runOrgCurve(org());
    console.log(formatOrgReport(result));
    await writeOrgOnly(outDir, result);
    console.error(`\nwritten: ${join(outDir, 'latest.json')}`);
    return;
  }
  if (values['growth-only']) {
    const result = await runGrowth(growth);
    console.log(formatGrowthReport(result));
    await writeGrowthOnly(outDir, result);
    console.error(`\nwritten: ${join(outDir, 'latest.json')}`);
    return;
  }
  const options: BenchOptions = {
    sizes: parseSizes(values.sizes),
    latencyMs,
    jitterMs: number('jitter', values.jitter, 0),
    repeat: Math.round(number('repeat', values.repeat, 1)),
    prowler: !values['no-prowler'],
    custodian: !values['no-custodian'],
    outDir,
    log,
    ...(values['no-growth'] ? {} : { growth }),
    ...(values['no-org'] ? {} : { org: org(ORG_MEMBERS_CAP_IN_FULL_BENCH) }),
  };
  const result = await runBenchmark(options);
  console.log(formatReport(result));
  if (result.growth) console.log(`\n${formatGrowthReport(result.growth)}`);
  if (result.org) console.log(`\n${formatOrgReport(result.org)}`);
  if (options.outDir !== undefined) console.error(`\nwritten: ${join(options.outDir, 'latest.json')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
