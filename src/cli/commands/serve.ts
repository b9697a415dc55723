/**
 * `trailcheck serve`: the long-running service (scheduled scans, history, dashboard, alerts). With no
 * --database it keeps everything in --data DIR; with a PostgreSQL URL, workers on other machines
 * (`trailcheck worker`) can share its scans.
 */
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../../util/errors.js';
import { Alerter, alertDestinations, parseWebhookUrls } from '../../service/alert-delivery.js';
import { startService } from '../../service/service.js';
import { parseDatabaseUrl } from '../../service/store/database.js';
import type { StoreLocation } from '../../service/store/database.js';
import { SERVE_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { untilSignal } from '../io.js';
import { HELP_OPTION, parseCommandArgs } from '../options.js';
import { cliScanEngine } from '../scan-engine.js';
import { parseJobs, pgQueueFor } from './worker.js';

export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  database: { type: 'string' },
  jobs: { type: 'string' },
  'alert-webhook': { type: 'string', multiple: true },
  'alert-sns-topic': { type: 'string', multiple: true },
  ...HELP_OPTION,
} as const;

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = 'trailcheck-data';

export function parsePort(value: string): number {
  const text = value.trim();
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes a port number from 0 to 65535 (0: any free port), not '${value}'.`);
  return port;
}

/** --database wins, then TRAILCHECK_DATABASE_URL; otherwise the embedded store in --data. */
export function storeLocation(
  values: { data?: string | undefined; database?: string | undefined },
  env: NodeJS.ProcessEnv,
): StoreLocation {
  const url = values.database ?? (env.TRAILCHECK_DATABASE_URL?.trim() || undefined);
  if (url !== undefined) {
    if (values.data !== undefined)
      throw new UsageError('--data is the embedded store and --database a PostgreSQL one; give one of them.');
    return { kind: 'postgres', url: parseDatabaseUrl(url) };
  }
  return { kind: 'embedded', dir: resolve(values.data ?? DEFAULT_DATA_DIR) };
}

export async function serveCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('serve', args, SERVE_OPTIONS);
  if (values.help) {
    io.stdout(`${SERVE_HELP}\n`);
    return EXIT.OK;
  }
  const port = values.port !== undefined ? parsePort(values.port) : DEFAULT_PORT;
  const host = values.host?.trim() ?? DEFAULT_HOST;
  const location = storeLocation(values, io.env);
  const concurrency = values.jobs !== undefined ? parseJobs(values.jobs, location.kind === 'postgres') : 1;
  const envToken = io.env.TRAILCHECK_API_TOKEN?.trim() || undefined;
  const log = (line: string) => io.stderr(`trailcheck: ${line}\n`);
  const destinations = alertDestinations(
    { webhooks: values['alert-webhook'], snsTopics: values['alert-sns-topic'] },
    io.env,
  );
  // Alert links must open where people reach the dashboard (a proxy's address), not where it listens.
  const publicUrl = io.env.TRAILCHECK_PUBLIC_URL?.trim()
    ? parseWebhookUrls([io.env.TRAILCHECK_PUBLIC_URL.trim()], 'TRAILCHECK_PUBLIC_URL')[0]?.href
    : undefined;
  let dashboardUrl = '';
  const service = await startService({
    location,
    host,
    port,
    engine: cliScanEngine(io.env),
    envToken,
    concurrency,
    afterScan: (store) => new Alerter(store, destinations, log, { dashboardUrl: () => dashboardUrl }),
    log,
    ...(location.kind === 'postgres' ? { queue: pgQueueFor(location.url, io.env, concurrency, log) } : {}),
  });
  dashboardUrl = publicUrl ?? service.url;
  const where = location.kind === 'embedded' ? `data in ${location.dir}` : service.store.label;
  log(`serving on ${service.url} (${where}); the dashboard is at ${service.url}/`);
  if (service.firstToken !== undefined)
    log(
      `admin token, shown this once (only its hash is kept): ${service.firstToken}\ntrailcheck: sign in to the dashboard with it, or send it as 'Authorization: Bearer <token>'.`,
    );
  const signal = await untilSignal(io);
  log(`${signal}: stopping; running scans go back on the queue`);
  await service.stop();
  return EXIT.OK;
}
