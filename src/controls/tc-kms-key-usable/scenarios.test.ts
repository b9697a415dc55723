/** TC.KmsKeyUsable against the emulator: real keys, real key policies, key state changes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { scanActions } from '../scan-policy.js';
import { ACCOUNT } from '../../../test/support/aws.js';
import { createKey, createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import type { ScanOptions } from '../../../test/support/moto-suite.js';
import { cloudTrailKeyPolicy } from '../cloudtrail-2-kms-encryption/control.js';
import { control } from './control.js';

const suite = useMoto();
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Main`;

async function encryptedTrail(keyRegion = 'us-east-1', withPolicy = true): Promise<string> {
  await createTrailBucket(suite.aws, 'main-logs', 'Main');
  const key = await createKey(
    suite.aws,
    'alias/trail',
    keyRegion,
    withPolicy ? cloudTrailKeyPolicy('aws', ACCOUNT, TRAIL_ARN) : undefined,
  );
  await createTrail(suite.aws, { name: 'Main', bucket: 'main-logs', multiRegion: true, kmsKeyId: key });
  return key;
}

async function verdict(options: ScanOptions = {}) {
  const [finding] = findingsOf(await scanMoto(suite, { controls: [control], ...options }), control.id);
  assert.ok(finding);
  return finding;
}

describe('TC.KmsKeyUsable on the emulator', () => {
  it('PASS: an enabled key whose policy lets CloudTrail encrypt this trail', async () => {
    await encryptedTrail();
    assert.equal((await verdict()).status, 'PASS');
  });

  it('FAIL: the default key policy does not mention CloudTrail', async () => {
    await encryptedTrail('us-east-1', false);
    const finding = await verdict();
    assert.equal(finding.status, 'FAIL');
    assert.match(finding.remediation?.cli[0] ?? '', /aws kms put-key-policy/);
  });

  it('FAIL: the key was disabled', async () => {
    const key = await encryptedTrail();
    // moto answers DisableKey and ScheduleKeyDeletion by ARN with a 500: use the key id.
    await suite.aws.kms().send(new DisableKeyCommand({ KeyId: key.split('/').pop() }));
    const finding = await verdict();
    assert.equal(finding.status, 'FAIL');
    assert.match(finding.remediation?.cli[0] ?? '', /aws kms enable-key/);
  });

  it('FAIL: the key is scheduled for deletion', async () => {
    const key = await encryptedTrail();
    await suite.aws
      .kms()
      .send(new ScheduleKeyDeletionCommand({ KeyId: key.split('/').pop(), PendingWindowInDays: 7 }));
    assert.equal((await verdict()).status, 'FAIL');
  });

  it('FAIL: the key is in another Region than the bucket', async () => {
    await encryptedTrail('eu-west-1');
    const finding = await verdict();
    assert.equal(finding.status, 'FAIL');
  });

  it('UNKNOWN: the scanner may not read the key policy', async () => {
    await encryptedTrail();
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'kms:GetKeyPolicy'),
    );
    const finding = await verdict({ credentials });
    assert.equal(finding.status, 'UNKNOWN');
    assert.deepEqual(finding.remediation?.permissions, ['kms:GetKeyPolicy']);
  });
});
