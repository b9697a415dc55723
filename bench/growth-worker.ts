/**
 * One size of the growth curve, in a process of its own (`node --expose-gc growth-worker.js TRAILS`), so
 * the bench can stop it at the time cap and each size starts with a fresh heap. It first runs the whole
 * path once, untimed, on the smallest account (so the JIT is warm and the smallest size is not charged for
 * compiling), then times each step on the account of TRAILS trails. It writes one JSON line per step to
 * standard output as the step starts and as it finishes, so a size stopped at the cap still shows the steps
 * it completed and the one it was in.
 */
import { growthSnapshot } from '../test/support/growth-snapshot.js';
import { offlinePath } from './offline-path.js';
import type { OfflinePhase } from './offline-path.js';

export interface StepLine {
  phase: OfflinePhase;
  wallMs: number;
  cpuMs: number;
  /** Heap left after a full collection once the step is done (its results still held), MiB. */
  liveHeapMb: number;
  /** The process's peak resident set so far, MiB. */
  peakRssMb: number;
  produced: string;
}

export const WARM_UP_TRAILS = 5;

const collect = (globalThis as { gc?: () => void }).gc;

function liveHeapMb(): number {
  collect?.();
  return process.memoryUsage().heapUsed / 1048576;
}

function main(): void {
  const trails = Number(process.argv[2]);
  if (!Number.isInteger(trails) || trails < 1) {
    console.error(
      `growth-worker: the number of trails must be a whole number of at least 1, not '${process.argv[2] ?? ''}'`,
    );
    process.exitCode = 2;
    return;
  }
  if (!collect) {
    console.error('growth-worker: run with node --expose-gc, to measure the live heap');
    process.exitCode = 2;
    return;
  }
  for (const step of offlinePath(growthSnapshot(WARM_UP_TRAILS))) step.run();
  const steps = offlinePath(growthSnapshot(trails));
  liveHeapMb();
  for (const step of steps) {
    // Said before the step, so a size stopped at the cap shows which step it was in.
    process.stdout.write(`${JSON.stringify({ running: step.phase })}\n`);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const produced = step.run();
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const line: StepLine = {
      phase: step.phase,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      liveHeapMb: liveHeapMb(),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      produced,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

main();
