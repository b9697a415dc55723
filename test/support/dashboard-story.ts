/**
 * A service with a regression to show: moto seeded with the compliant account, `trailcheck serve` spawned
 * on it (a free port, a temporary store), a baseline scan, then the multi-Region trail stopped and a
 * second scan. The dashboard's browser test and `scripts/screenshot-dashboard.ts` both start from it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CLI } from './cli.js';
import { ACCOUNT, motoEnv, seedClients } from './aws.js';
import type { MotoServer } from './moto.js';
import { compliantScenario } from './scenarios/compliant.js';

/** The trail the story stops: its name must show on the failing finding. */
export const STORY_TRAIL = 'OrgAudit';
export const STORY_ACCOUNT = ACCOUNT;
/** Long enough for the service's token rules; only ever used against a throwaway store. */
export const STORY_ADMIN_TOKEN = 'tc_dashboard_story_admin_token_0123456789';
export const STORY_REQUEST = { regions: ['us-east-1'] };

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/** Spawns `trailcheck serve --port 0 --data DIR` with moto's settings; resolves once it prints its URL. */
export function startServe(
  moto: MotoServer,
  dataDir: string,
  adminToken = STORY_ADMIN_TOKEN,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dataDir], {
    env: { ...motoEnv(moto), TRAILCHECK_API_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('close', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`trailcheck serve printed no URL within 30 s:\n${log}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const url = /serving on (http:\/\/\S+?) /.exec(log)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, log: () => log, stop });
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`trailcheck serve ended (${String(code)}) before it served:\n${log}`));
    });
  });
}

export async function callApi<T = Record<string, unknown>>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Waits until a scan is done (or failed, which throws with its error). */
export async function waitForScan(url: string, token: string, id: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { body } = await callApi<{ status: string; error: string | null }>(
      url,
      token,
      'GET',
      `/api/scans/${id}`,
    );
    if (body.status === 'done') return;
    if (body.status === 'failed') throw new Error(`scan ${id} failed: ${String(body.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`scan ${id} did not finish within ${timeoutMs} ms`);
}

export async function runScan(url: string, token: string, request: unknown = STORY_REQUEST): Promise<string> {
  const { status, body } = await callApi<{ id: string }>(url, token, 'POST', '/api/scans', request);
  if (status !== 202) throw new Error(`POST /api/scans answered ${status}: ${JSON.stringify(body)}`);
  await waitForScan(url, token, body.id);
  return body.id;
}

export interface RegressionStory {
  serve: ServeProcess;
  baselineScan: string;
  brokenScan: string;
}

/**
 * Seeds moto (reset first), starts the service and makes the scans: `baselines` before (the last is
 * `baselineScan`), then one with the trail stopped. More baselines give a chart more to draw.
 */
export async function regressionStory(
  moto: MotoServer,
  dataDir: string,
  baselines = 1,
): Promise<RegressionStory> {
  await moto.reset();
  const aws = seedClients(moto);
  await compliantScenario(aws);
  const serve = await startServe(moto, dataDir);
  try {
    let baselineScan = await runScan(serve.url, STORY_ADMIN_TOKEN);
    for (let i = 1; i < baselines; i++) baselineScan = await runScan(serve.url, STORY_ADMIN_TOKEN);
    await aws.cloudtrail('us-east-1').send(new StopLoggingCommand({ Name: STORY_TRAIL }));
    const brokenScan = await runScan(serve.url, STORY_ADMIN_TOKEN);
    return { serve, baselineScan, brokenScan };
  } catch (error) {
    await serve.stop();
    throw error;
  }
}
