/**
 * The organization curve: trailcheck's `scan --org` on AWS Organizations of 10, 100 and 1,000 member
 * accounts built on moto (test/support/moto-org.ts), two Regions each, and beside it Prowler run the way
 * its documentation says for an organization: list the accounts, then one process per account with
 * `-R arn:aws:iam::ID:role/OrganizationAccountAccessRole`, N at a time. Both reach moto through the latency
 * proxy, which counts their API calls. `npm run bench:org`, and part of `npm run bench` (up to 100 members
 * unless told otherwise).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Account } from '@aws-sdk/client-organizations';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { mapLimit } from '../src/util/concurrency.js';
import { packageRoot } from '../src/util/package-root.js';
import { benchToolEnv, seedClients, TEST_CREDENTIALS } from '../test/support/aws.js';
import type { MotoCredentials } from '../test/support/aws.js';
import { FaultProxy } from '../test/support/fault-proxy.js';
import type { ProxyLogEntry } from '../test/support/fault-proxy.js';
import { ensureMoto, MOTO_VERSION } from '../test/support/moto-install.js';
import { assumeMemberRole, buildOrganization, MEMBER_ROLE } from '../test/support/moto-org.js';
import type { OrganizationFixture } from '../test/support/moto-org.js';
import { MotoServer } from '../test/support/moto.js';
import { lakeRules } from '../test/support/scenarios/lake.js';
import { measure } from './measure.js';
import type { Measured } from './measure.js';
import {
  ensureProwler,
  mappedControls,
  PROWLER_VERSION,
  prowlerArgs,
  readProwlerFindings,
} from './prowler.js';
import type { OrgBenchResult, OrgSizeResult, OrgToolFigures } from './results.js';

/** Member counts of the curve (the management account comes on top). */
export const ORG_MEMBERS: readonly number[] = [10, 100, 1000];
/** `npm run bench` stops the curve here unless `--org-sizes` says otherwise: 1,000 members take minutes. */
export const ORG_MEMBERS_CAP_IN_FULL_BENCH = 100;
/** Prowler takes seconds per account: it runs on organizations up to this size only. */
export const PROWLER_MAX_MEMBERS = 100;
/** Prowler processes at once: one per core of this machine, as its documentation's loop suggests. */
export const PROWLER_PARALLEL = 2;
/**
 * After this long no new Prowler process is started at a size (those running finish), so the curve ends
 * on a loaded machine too: at a minute or more per account, 101 accounts would take close to an hour.
 */
export const DEFAULT_PROWLER_CAP_S = 900;
export const ORG_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];
/** The targets of issue 13, for 1,000 members. */
export const ORG_TARGETS = { wallMinutes: 10, rssMiB: 1024, prowlerRatio: 5 } as const;

export interface OrgBenchOptions {
  /** Member counts, smallest first. */
  members: readonly number[];
  latencyMs: number;
  prowler: boolean;
  /** Prowler runs on organizations with at most this many members. */
  prowlerMaxMembers: number;
  prowlerParallel: number;
  /** Seconds after which no new Prowler process starts at a size (see DEFAULT_PROWLER_CAP_S). */
  prowlerCapSeconds: number;
  /** trailcheck's controls: the ones mapped to Prowler's checks (like with like), or all. */
  controls: 'mapped' | 'all';
  /** trailcheck's `--concurrency`; undefined for its default. */
  concurrency?: number;
  log: (line: string) => void;
}

/** Parses `--org-sizes 10,100`: positive whole numbers, smallest first. */
export function parseOrgMembers(value: string | undefined, cap?: number): number[] {
  if (value === undefined || value === '') return ORG_MEMBERS.filter((n) => cap === undefined || n <= cap);
  const members = value.split(',').map((text) => {
    const n = Number(text.trim());
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--org-sizes takes member counts like 10,100 (got '${text.trim()}')`);
    return n;
  });
  return [...new Set(members)].sort((a, b) => a - b);
}

/**
 * The organization each size builds: an organization trail (multi-Region, encrypted, validated) in the
 * management account; one member in four with its own single-Region trail in the second Region, one in
 * four with its own multi-Region trail that was stopped; the members spread over two units, one nested.
 */
export async function seedOrganization(moto: MotoServer, members: number): Promise<OrganizationFixture> {
  const [, second = 'us-east-1'] = ORG_REGIONS;
  return buildOrganization(moto, {
    members,
    ous: [{ name: 'Workloads', children: [{ name: 'Production' }] }, { name: 'Sandbox' }],
    placeMember: (index) => ['Workloads', 'Production', 'Sandbox', undefined][index % 4],
    orgTrail: { kms: true },
    memberTrail: (index) =>
      index % 4 === 1
        ? { region: second, multiRegion: false }
        : index % 4 === 3
          ? { multiRegion: true, logging: false }
          : undefined,
  });
}

/**
 * moto builds an account's services on their first call (EC2's default VPCs take the longest): one pass
 * over every account, untimed, so neither tool pays that for the other.
 */
export async function warmUp(moto: MotoServer, org: OrganizationFixture): Promise<void> {
  const touch = async (credentials: MotoCredentials) => {
    const aws = seedClients(moto, credentials);
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials, maxAttempts: 1 });
    await ec2.send(new DescribeRegionsCommand({}));
    await aws.s3().send(new ListBucketsCommand({}));
    for (const region of ORG_REGIONS) await aws.cloudtrail(region).send(new DescribeTrailsCommand({}));
  };
  await touch(TEST_CREDENTIALS);
  await mapLimit(org.members, 8, async (member) => touch(await assumeMemberRole(moto, member.id)));
}

interface CallCount {
  apiCalls: number;
  byOperation: Record<string, number>;
  errors: number;
  mostCallsWithOneKey: number;
}

/** The proxy's log in numbers (no per-call timing: at 1,000 accounts the log holds tens of thousands). */
export function countCalls(log: readonly ProxyLogEntry[]): CallCount {
  const byOperation: Record<string, number> = {};
  const byKey = new Map<string, number>();
  let errors = 0;
  for (const entry of log) {
    const operation = `${entry.service}:${entry.operation}`;
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    byKey.set(entry.accessKeyId, (byKey.get(entry.accessKeyId) ?? 0) + 1);
    if (entry.status === undefined || entry.status >= 400) errors += 1;
  }
  return {
    apiCalls: log.length,
    byOperation: Object.fromEntries(Object.entries(byOperation).sort(([a], [b]) => a.localeCompare(b))),
    errors,
    mostCallsWithOneKey: Math.max(0, ...byKey.values()),
  };
}

/**
 * What the benchmark reads of trailcheck's JSON report, loosely: the organization report's contract is
 * new (issue 13), and the curve must not break on fields it does not need.
 */
const OrgReportSketch = z.object({
  findings: z.array(
    z.object({ resource: z.object({ type: z.string(), id: z.string() }).partial().optional() }),
  ),
  accounts: z.array(z.object({ assessed: z.boolean() }).partial()).optional(),
  stats: z.object({ apiCalls: z.number() }).optional(),
});

/** Whether this build of trailcheck has `scan --org` (the lead's part of issue 13). */
export async function trailcheckHasOrgScan(): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'scan', '--help'], { timeout: 30_000 }, (error, stdout) =>
      resolve(error === null && /--org\b/.test(stdout)),
    );
  });
}

async function runTrailcheck(
  proxy: FaultProxy,
  env: NodeJS.ProcessEnv,
  dir: string,
  org: OrganizationFixture,
  seededTrails: ReadonlySet<string>,
  options: OrgBenchOptions,
): Promise<OrgToolFigures> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const output = join(dir, `org-${org.members.length}-trailcheck.json`);
  const args = [
    cli,
    'scan',
    '--org',
    '--region',
    ORG_REGIONS.join(','),
    '--controls',
    options.controls === 'mapped' ? mappedControls().join(',') : 'all',
    ...(options.concurrency !== undefined ? ['--concurrency', String(options.concurrency)] : []),
    '--format',
    'json',
    '--output',
    output,
  ];
  proxy.clearLog();
  const measured = await measure(process.execPath, args, {
    env,
    dir,
    label: `org-${org.members.length}-trailcheck`,
    timeoutMs: 3_600_000,
  });
  const calls = countCalls(proxy.log);
  const accounts = org.members.length + 1;
  const failures =
    measured.exitCode > 1 ? [`exit ${measured.exitCode}: ${measured.stderr.trim().slice(-500)}`] : [];
  let report: z.infer<typeof OrgReportSketch> | undefined;
  if (failures.length === 0) report = OrgReportSketch.parse(JSON.parse(await readFile(output, 'utf8')));
  const trails = new Set(
    (report?.findings ?? [])
      .filter((f) => f.resource?.type === 'AwsCloudTrailTrail' && f.resource.id !== undefined)
      .map((f) => f.resource?.id as string),
  );
  // An account the run could not enter (role, suspended) is listed but not assessed.
  const assessed = report ? (report.accounts?.filter((a) => a.assessed !== false).length ?? accounts) : 0;
  return {
    wallMs: measured.wallMs,
    accountsAssessed: assessed,
    accountsPerMinute: assessed / (measured.wallMs / 60_000),
    ...calls,
    apiCallsPerAccount: calls.apiCalls / accounts,
    maxRssKb: measured.maxRssKb,
    cpuMs: measured.cpuMs,
    processes: 1,
    failures,
    trailsSeen: [...trails].filter((arn) => seededTrails.has(arn)).length,
    findings: report?.findings.length ?? 0,
    ...(report?.stats !== undefined ? { selfCountedCalls: report.stats.apiCalls } : {}),
  };
}

/**
 * Prowler as its documentation runs an organization: the account ids from Organizations ListAccounts,
 * then `prowler aws -R arn:aws:iam::ID:role/OrganizationAccountAccessRole …` per member, `parallel` at a
 * time; the management account with the caller's own credentials (it has no such role).
 */
async function runProwler(
  executable: string,
  proxy: FaultProxy,
  env: NodeJS.ProcessEnv,
  dir: string,
  org: OrganizationFixture,
  seededTrails: ReadonlySet<string>,
  parallel: number,
  capMs: number,
  log: (line: string) => void,
): Promise<OrgToolFigures> {
  proxy.clearLog();
  const started = performance.now();
  const organizations = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    credentials: TEST_CREDENTIALS,
  });
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await organizations.send(
      new ListAccountsCommand({ ...(token ? { NextToken: token } : {}) }),
    );
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken;
  } while (token);
  organizations.destroy();
  const startedRuns = await mapLimit(accounts, parallel, async (account, index) => {
    const id = account.Id ?? '';
    if (performance.now() - started > capMs) return undefined;
    const runDir = join(dir, `prowler-${org.members.length}-${id}`);
    await mkdir(runDir, { recursive: true });
    const role = id === org.managementAccount ? [] : ['-R', `arn:aws:iam::${id}:role/${MEMBER_ROLE}`];
    const measured: Measured = await measure(executable, [...prowlerArgs(ORG_REGIONS, runDir), ...role], {
      env,
      dir,
      label: `prowler-${org.members.length}-${id}`,
    });
    if ((index + 1) % 10 === 0) log(`    Prowler: account ${index + 1} of ${accounts.length} done`);
    const found =
      measured.exitCode === 0 ? await readProwlerFindings(runDir).catch(() => undefined) : undefined;
    return { id, measured, found };
  });
  const runs = startedRuns.filter((r) => r !== undefined);
  const wallMs = performance.now() - started;
  const calls = countCalls(proxy.log);
  const ok = runs.filter((r) => r.found !== undefined);
  const trails = new Set(ok.flatMap((r) => r.found?.trailArns ?? []));
  return {
    wallMs,
    accountsAssessed: ok.length,
    accountsPerMinute: ok.length / (wallMs / 60_000),
    ...calls,
    apiCallsPerAccount: calls.apiCalls / Math.max(1, runs.length),
    maxRssKb: Math.max(0, ...runs.map((r) => r.measured.maxRssKb)),
    cpuMs: runs.reduce((sum, r) => sum + r.measured.cpuMs, 0),
    processes: runs.length,
    failures: runs
      .filter((r) => r.found === undefined)
      .map(
        (r) =>
          `${r.id}: exit ${r.measured.exitCode}: ${r.measured.stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
      )
      .slice(0, 10),
    trailsSeen: [...trails].filter((arn) => seededTrails.has(arn)).length,
    findings: ok.reduce((sum, r) => sum + (r.found?.findings ?? 0), 0),
    ...(runs.length < accounts.length
      ? {
          stoppedAtCap: {
            accountsRun: runs.length,
            accountsTotal: accounts.length,
            projectedWallMs: (wallMs * accounts.length) / Math.max(1, runs.length),
          },
        }
      : {}),
  };
}

/** Runs the organization curve on a moto of its own and returns its figures. */
export async function runOrgCurve(options: OrgBenchOptions): Promise<OrgBenchResult> {
  const { log } = options;
  const started = new Date();
  const loadStart = loadavg();
  const notes: string[] = [];
  const python = ensureMoto(log);
  log(`organization curve: moto ${MOTO_VERSION} (${python})`);
  const wantsProwler = options.prowler && options.members.some((n) => n <= options.prowlerMaxMembers);
  const prowler = wantsProwler ? ensureProwler(log) : undefined;
  const hasOrgScan = await trailcheckHasOrgScan();
  if (!hasOrgScan)
    notes.push('this build of trailcheck has no `scan --org`: its half of the curve was not run');
  const moto = await MotoServer.start();
  const proxy = await FaultProxy.start(moto.endpoint);
  const scratch = await mkdtemp(join(tmpdir(), 'trailcheck-bench-org-'));
  try {
    const sizes: OrgSizeResult[] = [];
    for (const members of options.members) {
      await moto.reset();
      const seedStart = performance.now();
      const org = await seedOrganization(moto, members);
      const seedMs = performance.now() - seedStart;
      const warmStart = performance.now();
      await warmUp(moto, org);
      const warmUpMs = performance.now() - warmStart;
      const seeded = new Set([
        ...(org.orgTrail ? [org.orgTrail.arn] : []),
        ...org.members.flatMap((m) => (m.trailArn !== undefined ? [m.trailArn] : [])),
      ]);
      const memberTrails = org.members.filter((m) => m.trailArn !== undefined).length;
      log(
        `${members} members: organization built in ${(seedMs / 1000).toFixed(1)} s (${memberTrails} members with a trail of their own), services warmed in ${(warmUpMs / 1000).toFixed(1)} s`,
      );
      proxy.clearRules();
      for (const rule of lakeRules([], ORG_REGIONS)) proxy.addRule(rule);
      proxy.setLatency(options.latencyMs > 0 ? { ms: options.latencyMs } : undefined);
      const env = benchToolEnv(proxy.endpoint, moto, scratch);

      let trailcheck: OrgSizeResult['trailcheck'] = { skipped: 'this build has no `scan --org`' };
      if (hasOrgScan) {
        const figures = await runTrailcheck(proxy, env, scratch, org, seeded, options);
        trailcheck = figures;
        log(`  trailcheck: ${describeFigures(figures, seeded.size)}`);
      }
      let prowlerFigures: OrgSizeResult['prowler'] = { skipped: 'not asked for (--no-prowler)' };
      if (prowler !== undefined && members <= options.prowlerMaxMembers) {
        const figures = await runProwler(
          prowler,
          proxy,
          env,
          scratch,
          org,
          seeded,
          options.prowlerParallel,
          options.prowlerCapSeconds * 1000,
          log,
        );
        prowlerFigures = figures;
        log(
          `  Prowler ${PROWLER_VERSION}, ${options.prowlerParallel} at a time: ${describeFigures(figures, seeded.size)}`,
        );
      } else if (prowler !== undefined) {
        prowlerFigures = { skipped: `Prowler runs up to ${options.prowlerMaxMembers} members` };
      }
      proxy.setLatency(undefined);
      sizes.push({
        members,
        accounts: members + 1,
        regions: [...ORG_REGIONS],
        memberTrails,
        trails: seeded.size,
        seedMs,
        warmUpMs,
        trailcheck,
        prowler: prowlerFigures,
      });
    }
    return {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      latencyMs: options.latencyMs,
      controls: options.controls === 'mapped' ? mappedControls() : ['all'],
      prowlerParallel: options.prowlerParallel,
      machine: { cpus: cpus().length, node: process.version, loadStart, loadEnd: loadavg() },
      versions: { prowler: prowler ? PROWLER_VERSION : null, moto: MOTO_VERSION },
      sizes,
      notes,
    };
  } finally {
    await proxy.stop();
    await moto.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

function describeFigures(f: OrgToolFigures, trails: number): string {
  return `${(f.wallMs / 1000).toFixed(1)} s, ${f.accountsAssessed} accounts (${f.accountsPerMinute.toFixed(0)}/min), ${f.apiCalls} calls (${f.apiCallsPerAccount.toFixed(1)} per account), peak RSS ${(f.maxRssKb / 1024).toFixed(0)} MiB, ${f.trailsSeen}/${trails} trails seen${f.failures.length > 0 ? `, ${f.failures.length} failed: ${f.failures[0]}` : ''}${f.stoppedAtCap ? `; stopped at the time cap after ${f.stoppedAtCap.accountsRun} of ${f.stoppedAtCap.accountsTotal} accounts (all of them: ≈${(f.stoppedAtCap.projectedWallMs / 1000).toFixed(0)} s, projected)` : ''}`;
}

export function isMeasured(figures: OrgToolFigures | { skipped: string }): figures is OrgToolFigures {
  return !('skipped' in figures);
}
