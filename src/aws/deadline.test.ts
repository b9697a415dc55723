/** The per-Region clock: it runs only while the Region has calls in flight, and ends them when spent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineExceededError, RegionDeadlines } from './deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Region clock's timer is unref'd (in a scan, the sockets in flight keep the process alive); a test
 * that only waits on it must keep the event loop alive itself, or Node 22's runner ends it early.
 */
async function aliveUntil<T>(promise: Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => undefined, 1_000);
  try {
    return await promise;
  } finally {
    clearInterval(keepAlive);
  }
}

describe('RegionDeadlines', () => {
  it('charges a Region only while one of its calls is in flight', async () => {
    const deadlines = new RegionDeadlines(120);
    const first = deadlines.begin('eu-west-1');
    await sleep(60);
    first.end();
    await sleep(150); // idle: not charged
    assert.equal(deadlines.hasExpired('eu-west-1'), false);
    const second = deadlines.begin('eu-west-1');
    await aliveUntil(assert.rejects(second.expired, DeadlineExceededError));
    second.end();
    assert.equal(deadlines.signal('eu-west-1').aborted, true);
    assert.ok(deadlines.signal('eu-west-1').reason instanceof DeadlineExceededError);
    deadlines.dispose();
  });

  it('keeps Regions apart', async () => {
    const deadlines = new RegionDeadlines(50);
    const slow = deadlines.begin('ap-south-1');
    await aliveUntil(assert.rejects(slow.expired));
    assert.equal(deadlines.hasExpired('ap-south-1'), true);
    assert.equal(deadlines.hasExpired('us-east-1'), false);
    assert.equal(deadlines.signal('us-east-1').aborted, false);
    deadlines.dispose();
  });
});
