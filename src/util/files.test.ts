import assert from 'node:assert/strict';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from './errors.js';
import { ensureDirectory } from './files.js';

describe('ensureDirectory', () => {
  it('makes every missing level, and accepts one that exists', async () => {
    const base = await mkdtemp(join(tmpdir(), 'trailcheck-files-'));
    const deep = join(base, 'a', 'b', 'c');
    await ensureDirectory(deep);
    assert.ok((await stat(deep)).isDirectory());
    await ensureDirectory(deep);
  });

  it(
    'fails at once under /proc, where Node’s recursive mkdir spins forever',
    { timeout: 10_000 },
    async () => {
      await assert.rejects(
        ensureDirectory('/proc/nope/x'),
        (error: unknown) =>
          error instanceof UsageError &&
          error.message === 'cannot create directory /proc/nope/x (no directory can be made in /proc).',
      );
    },
  );

  it('names a file in the way', async () => {
    const base = await mkdtemp(join(tmpdir(), 'trailcheck-files-'));
    await writeFile(join(base, 'file'), '');
    await assert.rejects(ensureDirectory(join(base, 'file', 'sub')), /part of the path is a file/);
  });
});
