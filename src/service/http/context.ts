/** What the HTTP layer (API and dashboard) works with. */
import type { ScanEngine } from '../engine.js';
import type { JobQueue } from '../runner.js';
import type { Scheduler } from '../scheduler.js';
import type { Store } from '../store/store.js';
import type { Authenticator } from './auth.js';

export interface ServiceContext {
  store: Store;
  engine: ScanEngine;
  queue: JobQueue;
  scheduler: Scheduler | undefined;
  auth: Authenticator;
  /** For /healthz: how many scans this process runs now. */
  activeScans: () => number;
}
