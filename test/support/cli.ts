/** Runs the built trailcheck CLI as a separate process, the way a user does. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const CLI = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

/**
 * Runs the CLI to its end. `whileRunning` may act on the process as it runs (send it a signal, say); the
 * function it returns is called once the process has ended.
 */
export function runTrailcheck(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
  whileRunning?: (child: ChildProcess) => () => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const stopWatching = whileRunning?.(child);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `trailcheck ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stopWatching?.();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** An environment with no AWS settings at all, for runs that must not reach AWS. */
export function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent-home',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** Quotes one word for sh -c. */
function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the CLI with standard output and error on a pseudo-terminal (util-linux `script`, part of every
 * Debian system), the way it runs in a person's terminal. Both streams arrive merged, as a terminal
 * shows them, with the terminal's CRLF line ends.
 */
export function runTrailcheckInTty(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map(shellWord).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
      env: { PATH: process.env.PATH, TERM: 'xterm-256color', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trailcheck ${args.join(' ')} (in a terminal) did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A user error as trailcheck prints it: one line on stderr, starting `trailcheck:`, and no stack trace. */
export function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0]!, /^trailcheck: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}
