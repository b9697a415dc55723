/** What one benchmark run measured: the figures `run.ts` gathers and `report.ts` prints. */
import type { GrowthResult } from './growth.js';
import type { CHECK_MAPPING } from './prowler.js';
import type { BenchSize } from './sizes.js';
import type { Traffic } from './traffic.js';

export type ToolId = 'trailcheck' | 'trailcheck-all' | 'prowler' | 'custodian';

export interface RunFigures {
  /** Median of the repeats (the repeat whose wall time is the median is the one reported in full). */
  wallMs: number;
  wallRunsMs: number[];
  maxRssKb: number;
  cpuMs: number;
  exitCode: number;
  traffic: Traffic;
  /** Findings the tool reported, and how many of the seeded trails it named (proof it reached moto). */
  findings: number;
  trailsSeen: number;
  /** trailcheck only: the API calls it counted itself. */
  selfCountedCalls?: number;
  /** Errors the tool logged (Prowler's ERROR lines), distinct, at most ten. */
  loggedErrors: string[];
}

export interface ToolResult {
  tool: ToolId;
  label: string;
  /** With the injected latency, and without it (the emulator's and the tool's own time). */
  withLatency: RunFigures;
  withoutLatency: RunFigures;
  /**
   * With the latency, every answer replayed by the proxy from a recorded run: moto, a single Python
   * process that answers one call at a time, drops out, leaving the tool and the latency, as against AWS,
   * whose endpoints answer in parallel.
   */
  replayed: RunFigures;
  /** Wall time with latency ÷ latency (live moto). */
  roundTripsWall: number;
  /** The replayed run's API phase (first call to last answer) ÷ latency: the critical path in round trips. */
  roundTripsReplayed: number;
  /** trailcheck only: its live heap, from one more (untimed) run with the heap probe. */
  heap?: HeapFigures;
}

/**
 * Peak RSS says how much memory the process held, which includes garbage V8 has not collected yet (it lets
 * the heap grow while allocation is fast). What the scan itself keeps alive is measured apart, in one more
 * untimed run with `bench/heap-probe.ts` loaded: a full collection every 25 ms, the largest heap left.
 */
export interface HeapFigures {
  /** The largest heap that survived a full collection, MiB. */
  peakLiveMb: number;
  /** How many collections the probe ran (at least one, at exit). */
  samples: number;
}

export interface SizeResult {
  size: BenchSize;
  description: string;
  regions: string[];
  trails: number;
  buckets: number;
  seedMs: number;
  tools: ToolResult[];
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  latencyMs: number;
  jitterMs: number;
  repeat: number;
  /** The machine, and its load average (1, 5, 15 minutes) when the run started and ended: a shared machine is noisy. */
  machine: { cpus: number; node: string; platform: string; loadStart: number[]; loadEnd: number[] };
  versions: { trailcheck: string; prowler: string | null; custodian: string | null; moto: string };
  mapping: typeof CHECK_MAPPING;
  trailcheckControls: string[];
  sizes: SizeResult[];
  notes: string[];
  /** The growth curve of judging, planning and reporting (bench/growth.ts), when it ran. */
  growth?: GrowthResult;
  /** The organization curve (bench/org.ts), when it ran. */
  org?: OrgBenchResult;
}

/** The organization curve (bench/org.ts): `scan --org` and Prowler's per-account loop on moto organizations. */
export interface OrgToolFigures {
  /** From the first process's start to the last one's exit (for Prowler, the ListAccounts call too). */
  wallMs: number;
  /** Accounts the tool assessed (every account for trailcheck's report; Prowler's processes that succeeded). */
  accountsAssessed: number;
  accountsPerMinute: number;
  /** HTTP requests the proxy saw, in all and per account of the organization. */
  apiCalls: number;
  apiCallsPerAccount: number;
  /** The most requests signed with one access key: one account's session, the busiest. */
  mostCallsWithOneKey: number;
  byOperation: Record<string, number>;
  errors: number;
  /** Peak RSS of one process (trailcheck: its only process; Prowler: the largest of its processes), KiB. */
  maxRssKb: number;
  /** CPU time of every process of the tool together. */
  cpuMs: number;
  /** Processes started, and those that failed (exit code other than 0 and, for trailcheck, 1). */
  processes: number;
  failures: string[];
  /** Seeded trails (the organization trail and members' own) the tool named. */
  trailsSeen: number;
  findings: number;
  /** trailcheck only: the API calls it counted itself (its report's stats). */
  selfCountedCalls?: number;
  /**
   * Prowler only, when it reached the time cap: no new process was started after it, so only `accountsRun`
   * of the organization's accounts were assessed; `projectedWallMs` is the wall time at that pace for all
   * of them (a projection, said as one wherever it is shown).
   */
  stoppedAtCap?: { accountsRun: number; accountsTotal: number; projectedWallMs: number };
}

export interface OrgSizeResult {
  members: number;
  /** Members plus the management account. */
  accounts: number;
  regions: string[];
  /** Members with a trail of their own, and all seeded trails (the organization trail included). */
  memberTrails: number;
  trails: number;
  seedMs: number;
  /** The untimed pass that makes moto build each account's services before either tool runs. */
  warmUpMs: number;
  trailcheck: OrgToolFigures | { skipped: string };
  prowler: OrgToolFigures | { skipped: string };
}

export interface OrgBenchResult {
  startedAt: string;
  finishedAt: string;
  latencyMs: number;
  controls: string[];
  prowlerParallel: number;
  machine: { cpus: number; node: string; loadStart: number[]; loadEnd: number[] };
  versions: { prowler: string | null; moto: string };
  sizes: OrgSizeResult[];
  notes: string[];
}
