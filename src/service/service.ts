/**
 * `trailcheck serve`, assembled: the store (embedded or PostgreSQL), the queue, the scheduler, alerts
 * and the HTTP API, started in that order and stopped in the reverse. Stopping puts running scans back
 * on the queue, so a SIGTERM never loses one and a SIGKILL loses only the time it had run.
 */
import { mkdir, open as openFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CannotRunError, UsageError } from '../util/errors.js';
import type { ScanEngine } from './engine.js';
import { buildApp } from './http/app.js';
import { Authenticator } from './http/auth.js';
import type { AfterScan, JobQueue } from './runner.js';
import { LocalQueue, ScanExecutor } from './runner.js';
import { Scheduler } from './scheduler.js';
import { openDatabase } from './store/database.js';
import type { StoreLocation } from './store/database.js';
import { Store } from './store/store.js';

export interface ServiceOptions {
  location: StoreLocation;
  host: string;
  port: number;
  engine: ScanEngine;
  /** TRAILCHECK_API_TOKEN: an admin token given by the environment. */
  envToken?: string | undefined;
  /** Scans this process runs at once (embedded store). */
  concurrency?: number;
  /** Builds what runs after each scan (alerts), once the store is open. */
  afterScan?: (store: Store) => AfterScan | undefined;
  /** Builds the queue for a PostgreSQL store (pg-boss); absent: the scans table, worked here. */
  queue?: (store: Store, executor: ScanExecutor) => Promise<JobQueue & { active?: number }>;
  log?: (line: string) => void;
}

export interface RunningService {
  url: string;
  store: Store;
  app: FastifyInstance;
  /** The admin token made at first start, to be shown once (undefined when tokens existed). */
  firstToken: string | undefined;
  stop(): Promise<void>;
}

const LOCK_FILE = 'serve.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One `serve` per data directory: the embedded queue puts back scans a dead process left running, which
 * would steal a live one's. A lock left by a killed process (its pid gone) is taken over.
 */
async function lockDataDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await openFile(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new CannotRunError(
          `another trailcheck serve (pid ${pid}) uses the data directory ${dir}; stop it or give another --data.`,
        );
      await rm(path, { force: true });
    }
  }
  throw new CannotRunError(
    `cannot lock the data directory ${dir}; remove ${path} if no trailcheck serve runs.`,
  );
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = options.log ?? (() => {});
  let unlock = async (): Promise<void> => {};
  if (options.location.kind === 'embedded') {
    const { dir } = options.location;
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw new UsageError(`cannot use ${dir} as the data directory: ${(error as Error).message}.`);
    });
    unlock = await lockDataDirectory(dir);
  }
  let store: Store | undefined;
  try {
    store = new Store(await openDatabase(options.location));
    const auth = new Authenticator(store);
    if (options.envToken) await auth.adoptEnvToken(options.envToken);
    const firstToken = options.envToken ? undefined : await auth.firstToken();
    const executor = new ScanExecutor(store, options.engine, options.afterScan?.(store), log);
    let queue: JobQueue & { active?: number };
    if (options.queue) queue = await options.queue(store, executor);
    else {
      // A scan left running by a process that was killed runs again.
      const requeued = await store.requeue();
      if (requeued > 0) log(`${requeued} scan(s) left running by a stopped service are queued again`);
      queue = new LocalQueue(store, executor, options.concurrency ?? 1, log);
    }
    const scheduler = new Scheduler(store, queue, log);
    const app = await buildApp({
      store,
      engine: options.engine,
      queue,
      scheduler,
      auth,
      activeScans: () => queue.active ?? 0,
    });
    try {
      await app.listen({ host: options.host, port: options.port });
    } catch (error) {
      await app.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new CannotRunError(
          `port ${options.port} on ${options.host} is in use; choose another with --port.`,
        );
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new CannotRunError(
          `cannot listen on ${options.host}: no such address here; give --host an address of this machine.`,
        );
      throw error;
    }
    await queue.start();
    await scheduler.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const openStore = store;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      store: openStore,
      app,
      firstToken,
      stop: () =>
        (stopping ??= (async () => {
          scheduler.stop();
          await app.close();
          await queue.stop();
          await openStore.close();
          await unlock();
        })()),
    };
  } catch (error) {
    await store?.close();
    await unlock();
    throw error;
  }
}
