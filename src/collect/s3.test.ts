/** The bucket collector against the emulator: what it asks, and of whom. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsClientFactory } from '../aws/clients.js';
import { EVIDENCE_KINDS } from '../snapshot/schema.js';
import { ACCOUNT, motoAccess } from '../../test/support/aws.js';
import { useMoto } from '../../test/support/moto-suite.js';
import { createTrailBucket } from '../../test/support/scenarios/builders.js';
import { readBuckets } from './s3.js';

const suite = useMoto();

describe('readBuckets', () => {
  it('names this account as the expected owner on every bucket request', async () => {
    await createTrailBucket(suite.aws, 'owned-logs', 'Main');
    const factory = new AwsClientFactory(motoAccess(suite.moto));
    const seen: Array<{ operation: string; owner: unknown }> = [];
    factory.s3('us-east-1').middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ExpectedBucketOwner?: unknown };
        seen.push({ operation: context.commandName ?? '', owner: input.ExpectedBucketOwner });
        return next(args);
      },
      { step: 'initialize', name: 'captureOwner' },
    );
    try {
      const [record] = await readBuckets(
        factory,
        [{ name: 'owned-logs', hintRegion: 'us-east-1' }],
        new Set(EVIDENCE_KINDS),
        ACCOUNT,
      );
      assert.equal(record?.location?.ok, true);
      assert.ok(seen.length >= 9, `every bucket reader ran (${seen.length} requests)`);
      for (const request of seen)
        assert.equal(request.owner, ACCOUNT, `${request.operation} names the owner`);
    } finally {
      factory.destroy();
    }
  });
});
