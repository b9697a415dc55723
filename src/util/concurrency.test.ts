import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gate, mapLimit } from './concurrency.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Gate', () => {
  it('lets at most `limit` holders in, and the waiting ones in arrival order', async () => {
    const gate = new Gate(2);
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    const jobs = [0, 1, 2, 3, 4].map(async (n) => {
      const release = await gate.acquire();
      inside += 1;
      most = Math.max(most, inside);
      order.push(n);
      await tick();
      inside -= 1;
      release();
    });
    await tick();
    assert.equal(gate.inUse, 2);
    assert.equal(gate.queued, 3);
    await Promise.all(jobs);
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(gate.inUse, 0);
  });

  it('gives a slot back once, however often release is called', async () => {
    const gate = new Gate(1);
    const release = await gate.acquire();
    release();
    release();
    assert.equal(gate.inUse, 0);
    const again = await gate.acquire();
    assert.equal(gate.inUse, 1);
    again();
  });

  it('refuses a limit below one', () => {
    assert.throws(() => new Gate(0), RangeError);
    assert.throws(() => new Gate(1.5), RangeError);
  });
});

describe('mapLimit', () => {
  it('keeps input order', async () => {
    assert.deepEqual(await mapLimit([3, 1, 2], 2, (n) => Promise.resolve(n * 2)), [6, 2, 4]);
  });
});
