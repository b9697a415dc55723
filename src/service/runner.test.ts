/**
 * The embedded queue outlives a store that fails to answer: a failed claim is tried again, and a scan
 * that cannot be stored is logged (it stays running in the store, so the next start runs it again),
 * instead of an unhandled rejection ending the service.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalQueue } from './runner.js';
import type { ScanExecutor } from './runner.js';
import type { Scan, Store } from './store/store.js';

const scan = { id: 's1', status: 'running' } as Scan;

describe('LocalQueue', () => {
  it('tries the store again after a failed claim, and logs a scan that could not be stored', async () => {
    let claims = 0;
    const store = {
      claimNextQueued: () => {
        claims += 1;
        if (claims === 1) return Promise.reject(new Error('database is locked'));
        return Promise.resolve(claims === 2 ? scan : undefined);
      },
      requeue: () => Promise.resolve(0),
    } as unknown as Store;
    const ran: string[] = [];
    const executor = {
      run: (s: Scan) => {
        ran.push(s.id);
        return Promise.reject(new Error('disk I/O error'));
      },
      abandon: () => {},
    } as unknown as ScanExecutor;
    const lines: string[] = [];
    const queue = new LocalQueue(store, executor, 1, (line) => lines.push(line), 10);
    await queue.start();
    for (let i = 0; i < 100 && lines.length < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    await queue.stop();
    assert.deepEqual(ran, ['s1']);
    assert.deepEqual(lines, [
      'cannot take the next scan from the store (database is locked); trying again',
      'scan s1 could not be stored (disk I/O error); it runs again at the next start',
    ]);
  });
});
