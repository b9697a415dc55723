import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  OrganizationSnapshotWriter,
  organizationEntryLine,
  organizationSnapshotText,
  parseOrganizationSnapshot,
} from './organization.js';
import type { OrganizationSnapshotHeader, StoredOutcome } from './organization.js';

const header: OrganizationSnapshotHeader = {
  tool: { name: 'trailcheck', version: 'test' },
  startedAt: '2026-11-24T10:00:00.000Z',
  organization: { Id: 'o-abc', MasterAccountId: '111111111111' },
  caller: { Account: '111111111111', Arn: 'arn:aws:iam::111111111111:user/a', Partition: 'aws' },
  leftOut: 1,
  managementForContextOnly: false,
};
const entries: Array<[{ Id: string; Name: string; Status: string }, StoredOutcome]> = [
  [
    { Id: '111111111111', Name: 'm', Status: 'ACTIVE' },
    { ok: false, stage: 'collect', reason: 'r1' },
  ],
  [
    { Id: '222222222222', Name: 'w<\u2028>', Status: 'SUSPENDED' },
    { ok: false, stage: 'suspended', reason: 'r2' },
  ],
];

describe('an organization snapshot assembled from its accounts’ lines (the job queue)', () => {
  it('is byte for byte what the writer writes, and reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-orgsnap-'));
    try {
      const path = join(dir, 'org.json');
      const writer = await OrganizationSnapshotWriter.open(path, header);
      for (const [account, outcome] of entries) await writer.add(account, outcome);
      await writer.finish('2026-11-24T10:05:00.000Z');
      const assembled = organizationSnapshotText(
        header,
        entries.map(([account, outcome]) => organizationEntryLine(account, outcome)),
        '2026-11-24T10:05:00.000Z',
      );
      assert.equal(assembled, await readFile(path, 'utf8'));
      const parsed = parseOrganizationSnapshot(assembled, 'assembled');
      assert.equal(parsed.size, 2);
      assert.equal(parsed.finishedAt, '2026-11-24T10:05:00.000Z');
      assert.deepEqual(
        [...parsed.entries()].map((e) => e.account.Name),
        ['m', 'w<\u2028>'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with the management account alone', () => {
    const [account, outcome] = entries[0]!;
    const parsed = parseOrganizationSnapshot(
      organizationSnapshotText(header, [organizationEntryLine(account, outcome)], '2026-11-24T10:05:00.000Z'),
      'one',
    );
    assert.equal(parsed.size, 1);
  });
});
