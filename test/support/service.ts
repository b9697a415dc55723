/**
 * Starts `trailcheck serve` as a user would (the built CLI, a free loopback port, its own data
 * directory) and talks to its API. Tests that need the service use this; the service is never mocked.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the service wrote on standard error so far. */
  stderr: () => string;
  /** Resolves with the first match of `pattern` in standard error, once it is written. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every service a test started: killed when the test process ends, so a failed test never hangs the run. */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** Starts the service and resolves once it listens (its "serving on URL" line). */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    child.on('exit', () => started.delete(child));
    // Don't keep the test process alive for a service a failed test left running.
    child.unref();
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trailcheck serve did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving on (http:\/\/\S+) /.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stderr: () => stderr,
          waitFor: async (pattern, waitMs = 10_000) => {
            const deadline = Date.now() + waitMs;
            for (;;) {
              const found = pattern.exec(stderr);
              if (found) return found;
              if (Date.now() > deadline) throw new Error(`serve never wrote ${String(pattern)}:\n${stderr}`);
              await new Promise((r) => setTimeout(r, 25));
            }
          },
          stop: (signal = 'SIGTERM') => {
            // Held again while it stops: an unreferenced child alone would let the test's event loop end.
            child.ref();
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`trailcheck serve ended before listening (code ${code}, signal ${signal}):\n${stderr}`),
      );
    });
  });
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** One API request with a bearer token; JSON bodies in and out. */
export async function api<T = Record<string, unknown>>(
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

export interface ScanView {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  integer_result: number | null;
  pretty_result: string | null;
  summary: { PASS: number; FAIL: number; UNKNOWN: number; total: number } | null;
  error: string | null;
  trigger: string;
  attempts: number;
}

/** Polls a scan until it is done or failed. */
export async function waitForScan(
  base: string,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<ScanView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api<ScanView>(base, token, 'GET', `/api/scans/${id}`);
    if (body.status === 'done' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`scan ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Starts a scan through the API and waits for its end. */
export async function scanNow(base: string, token: string, request: unknown = {}): Promise<ScanView> {
  const started = await api<{ id: string }>(base, token, 'POST', '/api/scans', request);
  if (started.status !== 202) throw new Error(`POST /api/scans answered ${started.status}: ${started.text}`);
  return waitForScan(base, token, started.body.id);
}
