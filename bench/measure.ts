/**
 * Runs one command as a child process and measures it from outside, the same way for every tool: wall
 * time from spawn to exit, and peak resident memory (the child's maxRSS from wait4, which Node does not
 * expose). A few lines of Python (already needed for moto) do the spawning and the waiting.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const RUSAGE = `
import json, os, subprocess, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, 'wb') as stdout, open(err, 'wb') as stderr:
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
print(json.dumps({"wallMs": wall * 1000, "maxRssKb": usage.ru_maxrss, "exitCode": os.waitstatus_to_exitcode(status), "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000}))
`;

export interface Measured {
  /** Spawn to exit, milliseconds. */
  wallMs: number;
  /** Peak resident set size of the child, KiB. */
  maxRssKb: number;
  /** User plus system CPU time of the child. */
  cpuMs: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** `performance.now()` just before the child was started, to place its API calls in time. */
  startedAt: number;
}

export interface MeasureOptions {
  env: NodeJS.ProcessEnv;
  /** Where the child's output goes (a scratch directory). */
  dir: string;
  /** A name for the output files. */
  label: string;
  timeoutMs?: number;
}

/** Runs `command args` and measures it. */
export async function measure(command: string, args: string[], options: MeasureOptions): Promise<Measured> {
  const out = join(options.dir, `${options.label}.stdout`);
  const err = join(options.dir, `${options.label}.stderr`);
  const startedAt = performance.now();
  const report = await new Promise<string>((resolve, reject) => {
    execFile(
      'python3',
      ['-c', RUSAGE, out, err, command, ...args],
      { env: options.env, timeout: options.timeoutMs ?? 900_000, maxBuffer: 1 << 20 },
      (error, stdout) =>
        error ? reject(new Error(`measuring ${command} failed: ${error.message}`)) : resolve(stdout),
    );
  });
  const parsed = JSON.parse(report) as Omit<Measured, 'stdout' | 'stderr' | 'startedAt'>;
  return {
    ...parsed,
    stdout: await readFile(out, 'utf8'),
    stderr: await readFile(err, 'utf8'),
    startedAt,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
