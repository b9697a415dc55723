import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AwsCredentialIdentity } from '@smithy/types';
import { checkFilter, checkMemberAccess, organizationsRegion, renewingCredentials } from './organization.js';

describe('role credentials in an organization run', () => {
  it('assumes the role once for every client, and again five minutes before the session ends', async () => {
    let clock = 0;
    let assumed = 0;
    const provider = renewingCredentials(
      (): Promise<AwsCredentialIdentity> => {
        assumed += 1;
        return Promise.resolve({
          accessKeyId: `key-${assumed}`,
          secretAccessKey: 's',
          expiration: new Date(clock + 3_600_000),
        });
      },
      () => clock,
    );
    const first = await Promise.all([provider(), provider(), provider()]);
    assert.equal(assumed, 1);
    assert.deepEqual(new Set(first.map((c) => c.accessKeyId)), new Set(['key-1']));
    clock = 54 * 60_000;
    assert.equal((await provider()).accessKeyId, 'key-1', 'six minutes left: kept');
    clock = 56 * 60_000;
    assert.equal((await provider()).accessKeyId, 'key-2', 'four minutes left: renewed');
    assert.equal(assumed, 2);
  });

  it('tries again after a failed attempt instead of keeping the failure', async () => {
    let attempts = 0;
    const provider = renewingCredentials(() => {
      attempts += 1;
      if (attempts === 1) return Promise.reject(new Error('throttled'));
      return Promise.resolve({ accessKeyId: 'k', secretAccessKey: 's' });
    });
    await assert.rejects(provider(), /throttled/);
    assert.equal((await provider()).accessKeyId, 'k');
  });
});

describe('organization flags', () => {
  it('refuses ids that cannot be accounts or units, and role names IAM would refuse', () => {
    assert.throws(
      () => checkFilter({ accounts: ['12345678901'] }),
      /--accounts takes a 12-digit AWS account id/,
    );
    assert.throws(() => checkFilter({ excludeAccounts: ['abc'] }), /--exclude-accounts/);
    assert.throws(() => checkFilter({ ous: ['ou-1'] }), /not an organizational unit id/);
    assert.doesNotThrow(() =>
      checkFilter({ ous: ['ou-ab12-34cd56ef', 'r-ab12'], accounts: ['111122223333'] }),
    );
    assert.throws(() => checkMemberAccess({ roleName: 'has space' }), /--role-name takes an IAM role name/);
    assert.throws(
      () => checkMemberAccess({ roleName: 'Audit', externalId: 'x' }),
      /--external-id takes 2 to 1224/,
    );
    assert.equal(organizationsRegion('aws-us-gov'), 'us-gov-west-1');
    assert.equal(organizationsRegion('aws'), 'us-east-1');
  });
});
