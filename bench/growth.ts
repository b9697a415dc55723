/**
 * The growth curve of judging, planning and reporting: the offline path (`bench/offline-path.ts`) on
 * accounts of 5 to 85 trails built without the emulator (`test/support/growth-snapshot.ts`), each size in
 * a worker process of its own. No network and no AWS calls: what grows here is trailcheck's own work.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GROWTH_REGIONS, growthTrails } from '../test/support/growth-snapshot.js';
import { packageRoot } from '../src/util/package-root.js';
import type { OfflinePhase } from './offline-path.js';
import type { StepLine } from './growth-worker.js';

export const GROWTH_TRAILS: readonly number[] = [5, 10, 20, 40, 85];
/** A size that takes longer is stopped, and the bigger sizes are not run, so the bench always finishes. */
export const DEFAULT_GROWTH_CAP_S = 120;

export interface GrowthOptions {
  /** Trail counts, smallest first. */
  trails: readonly number[];
  /** Seconds one size may take (worker start to last step) before it is stopped. */
  capSeconds: number;
  log: (line: string) => void;
}

export interface GrowthSize {
  trails: number;
  multiRegionTrails: number;
  regions: number;
  buckets: number;
  /** `done`; `capped`: stopped at the cap (the steps it finished are kept); `skipped`: a smaller size was capped. */
  outcome: 'done' | 'capped' | 'skipped';
  /** Worker start to exit (or to the cap), warm-up included. */
  workerWallMs: number;
  steps: StepLine[];
  /** For a size stopped at the cap: the step it was in. */
  stoppedDuring?: OfflinePhase;
  /** Sums over the steps that finished. */
  wallMs: number;
  cpuMs: number;
  /** The largest live heap after a step, and the worker's peak RSS, MiB. */
  liveHeapMb: number;
  peakRssMb: number;
}

export interface GrowthResult {
  startedAt: string;
  finishedAt: string;
  capSeconds: number;
  machine: { cpus: number; node: string; loadStart: number[]; loadEnd: number[] };
  regions: string[];
  sizes: GrowthSize[];
}

const WORKER = () => join(packageRoot(), 'dist', 'bench', 'growth-worker.js');

interface WorkerRun {
  steps: StepLine[];
  /** The last step the worker started. */
  running: OfflinePhase | undefined;
  capped: boolean;
  wallMs: number;
}

/** Runs the worker for one size; stops it (SIGKILL) once it has run for `capMs`. */
function runWorker(trails: number, capMs: number): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--expose-gc', WORKER(), String(trails)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let capped = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      capped = true;
      child.kill('SIGKILL');
    }, capMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (!capped && code !== 0) {
        reject(
          new Error(`the growth worker for ${trails} trails exited ${code}: ${stderr.trim().slice(-2000)}`),
        );
        return;
      }
      // Only complete lines: a worker stopped mid-write leaves at most one partial line.
      const lines = stdout
        .split('\n')
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line) as StepLine | { running: OfflinePhase });
      const steps = lines.filter((line): line is StepLine => 'phase' in line);
      const running = lines.flatMap((line) => ('running' in line ? [line.running] : [])).at(-1);
      resolve({ steps, running, capped, wallMs });
    });
  });
}

function sizeOf(trails: number, outcome: GrowthSize['outcome'], run: WorkerRun | undefined): GrowthSize {
  const layout = growthTrails(trails, GROWTH_REGIONS);
  const steps = run?.steps ?? [];
  return {
    trails,
    multiRegionTrails: layout.filter((t) => t.multiRegion).length,
    regions: GROWTH_REGIONS.length,
    buckets: layout.length,
    outcome,
    ...(outcome === 'capped' && run?.running !== undefined && !steps.some((s) => s.phase === run.running)
      ? { stoppedDuring: run.running }
      : {}),
    workerWallMs: run?.wallMs ?? 0,
    steps,
    wallMs: steps.reduce((sum, s) => sum + s.wallMs, 0),
    cpuMs: steps.reduce((sum, s) => sum + s.cpuMs, 0),
    liveHeapMb: Math.max(0, ...steps.map((s) => s.liveHeapMb)),
    peakRssMb: Math.max(0, ...steps.map((s) => s.peakRssMb)),
  };
}

/** Runs each size in turn, smallest first, until one is stopped at the cap. */
export async function runGrowth(options: GrowthOptions): Promise<GrowthResult> {
  const started = new Date();
  const loadStart = loadavg();
  const sizes: GrowthSize[] = [];
  let cappedAt: number | undefined;
  for (const trails of [...options.trails].sort((a, b) => a - b)) {
    if (cappedAt !== undefined) {
      sizes.push(sizeOf(trails, 'skipped', undefined));
      options.log(
        `growth: ${trails} trails skipped (${cappedAt} trails exceeded the ${options.capSeconds} s cap)`,
      );
      continue;
    }
    const run = await runWorker(trails, options.capSeconds * 1000);
    const size = sizeOf(trails, run.capped ? 'capped' : 'done', run);
    sizes.push(size);
    if (run.capped) cappedAt = trails;
    options.log(
      `growth: ${trails} trails ${run.capped ? `stopped at the ${options.capSeconds} s cap after ${size.steps.length} steps` : 'done'}: ${(size.wallMs / 1000).toFixed(2)} s wall, ${(size.cpuMs / 1000).toFixed(2)} s CPU`,
    );
  }
  return {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    capSeconds: options.capSeconds,
    machine: { cpus: cpus().length, node: process.version, loadStart, loadEnd: loadavg() },
    regions: [...GROWTH_REGIONS],
    sizes,
  };
}

/** Parses `--growth-sizes 5,10,20`. */
export function parseGrowthTrails(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return [...GROWTH_TRAILS];
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 5000)
      throw new Error(`--growth-sizes takes trail counts from 1 to 5000, not '${part.trim()}'`);
    return n;
  });
}

// ---- Reporting ---------------------------------------------------------------------------------------

const s = (ms: number) => (ms / 1000).toFixed(2);
const times = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '–');

function stepOf(size: GrowthSize, phase: OfflinePhase): StepLine | undefined {
  return size.steps.find((step) => step.phase === phase);
}

function phasesOf(result: GrowthResult): OfflinePhase[] {
  const seen: OfflinePhase[] = [];
  for (const size of result.sizes)
    for (const phase of [...size.steps.map((step) => step.phase), size.stoppedDuring])
      if (phase !== undefined && !seen.includes(phase)) seen.push(phase);
  return seen;
}

/** The smallest size that finished: what the ratios are against. */
function baseline(result: GrowthResult): GrowthSize | undefined {
  return result.sizes.find((size) => size.outcome === 'done');
}

function sizeLabel(size: GrowthSize): string {
  return `${size.trails} trails (${size.multiRegionTrails} multi-Region), ${size.regions} Regions, ${size.buckets} buckets`;
}

function outcomeText(size: GrowthSize, cap: number): string {
  if (size.outcome === 'done') return '';
  if (size.outcome === 'skipped') return 'skipped: a smaller size exceeded the cap';
  const during = size.stoppedDuring !== undefined ? `, during ${size.stoppedDuring}` : '';
  return `stopped at the ${cap} s cap after ${size.steps.length} steps${during}`;
}

/** One row per size: totals, ratios to the smallest, heap. */
export function growthRows(result: GrowthResult): { header: string[]; rows: string[][] } {
  const base = baseline(result);
  const header = [
    'Account',
    'Wall s',
    'CPU s',
    'Wall ÷ smallest',
    'CPU ÷ smallest',
    'Live heap MiB',
    'Peak RSS MiB',
    'Note',
  ];
  const rows = result.sizes.map((size) =>
    size.outcome === 'skipped'
      ? [sizeLabel(size), '–', '–', '–', '–', '–', '–', outcomeText(size, result.capSeconds)]
      : [
          sizeLabel(size),
          `${size.outcome === 'capped' ? '> ' : ''}${s(size.outcome === 'capped' ? result.capSeconds * 1000 : size.wallMs)}`,
          size.outcome === 'capped' ? '–' : s(size.cpuMs),
          size.outcome === 'done' && base ? times(size.wallMs, base.wallMs) : '–',
          size.outcome === 'done' && base ? times(size.cpuMs, base.cpuMs) : '–',
          size.liveHeapMb.toFixed(0),
          size.peakRssMb.toFixed(0),
          outcomeText(size, result.capSeconds),
        ],
  );
  return { header, rows };
}

/** Seconds of wall time per step, a column per size. */
export function phaseRows(result: GrowthResult): { header: string[]; rows: string[][] } {
  const header = ['Step (wall s / CPU s)', ...result.sizes.map((size) => `${size.trails} trails`)];
  const rows = phasesOf(result).map((phase) => [
    phase,
    ...result.sizes.map((size) => {
      const step = stepOf(size, phase);
      if (step) return `${s(step.wallMs)} / ${s(step.cpuMs)}`;
      return size.stoppedDuring === phase ? 'stopped here (cap)' : '–';
    }),
  ]);
  return { header, rows };
}

/** The two targets, met or missed, from the figures (never assumed). */
export function growthTargets(result: GrowthResult): string[] {
  const find = (n: number) => result.sizes.find((size) => size.trails === n && size.outcome === 'done');
  const ten = find(10);
  const forty = find(40);
  const capped40 = result.sizes.find((size) => size.trails === 40 && size.outcome !== 'done');
  const eightyFive = find(85);
  const lines: string[] = [];
  if (ten && forty) {
    const ratio = forty.cpuMs / ten.cpuMs;
    lines.push(
      `40 trails cost ${ratio.toFixed(1)}× 10 trails in CPU (${s(forty.cpuMs)} s ÷ ${s(ten.cpuMs)} s; target at most 5×: ${ratio <= 5 ? 'met' : 'MISSED'})`,
    );
  } else {
    lines.push(
      `40 trails against 10 trails: not measured${capped40 ? ` (40 trails ${outcomeText(capped40, result.capSeconds)}; target MISSED)` : ''}`,
    );
  }
  if (eightyFive) {
    lines.push(
      `85 trails judged, planned and reported in every format in ${s(eightyFive.cpuMs)} s of CPU (target under 2 s: ${eightyFive.cpuMs < 2000 ? 'met' : 'MISSED'})`,
    );
  } else {
    const size = result.sizes.find((x) => x.trails === 85);
    lines.push(
      `85 trails: ${size ? `${outcomeText(size, result.capSeconds)} (target under 2 s of CPU: MISSED)` : 'not run'}`,
    );
  }
  return lines;
}

const NOTES = [
  'Each size runs in a worker process of its own, after an untimed warm-up run on 5 trails; no AWS calls, no files.',
  'Steps: load (parse and validate the snapshot text, as --snapshot does); judge (assess, all controls: verdicts only); plan (buildPlan',
  'from the judged findings, once, as `scan` does); then each report format rendered from the report, and the plan as Terraform and',
  'CloudFormation (JSON includes each fixed finding’s Terraform and CloudFormation, made on demand).',
  'CPU: process.cpuUsage of the worker (user + system, all its threads); live heap: the heap left after a full collection after each step,',
  'the largest (a peak within a step is not seen; peak RSS includes it, and garbage).',
];

function plainTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function heading(result: GrowthResult): string {
  const m = result.machine;
  return `Growth of judging, planning and reporting, ${result.startedAt}: ${m.cpus} CPUs, Node ${m.node}, load average at start / end ${m.loadStart.map((n) => n.toFixed(1)).join(' ')} / ${m.loadEnd.map((n) => n.toFixed(1)).join(' ')}; Regions ${result.regions.join(', ')}; cap ${result.capSeconds} s a size`;
}

export function formatGrowthReport(result: GrowthResult): string {
  const totals = growthRows(result);
  const phases = phaseRows(result);
  return [
    heading(result),
    '',
    plainTable(totals.header, totals.rows),
    '',
    plainTable(phases.header, phases.rows),
    '',
    ...growthTargets(result),
    '',
    ...NOTES,
  ].join('\n');
}

export function formatGrowthMarkdown(result: GrowthResult): string {
  const totals = growthRows(result);
  const phases = phaseRows(result);
  return `${[
    `### ${heading(result)}`,
    '',
    markdownTable(totals.header, totals.rows),
    '',
    markdownTable(phases.header, phases.rows),
    '',
    ...growthTargets(result).map((line) => `- ${line}`),
    '',
    ...NOTES,
  ].join('\n')}\n`;
}
