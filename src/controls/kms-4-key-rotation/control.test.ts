import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import { assess } from '../../judge/assess.js';
import { buildPlan } from '../../remediate/plan.js';
import { undoFor } from '../../remediate/undo.js';
import { renderPlanCloudFormation } from '../../remediate/cloudformation.js';
import { renderPlanTerraform } from '../../remediate/terraform.js';
import { text } from '../../fixes/calls.js';
import type { KeyMetadata, KeyRotation, Observation, RotationKeyRecord } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';

function key(
  meta: Partial<KeyMetadata> | Observation<KeyMetadata> = {},
  rotation: Observation<{ KeyRotationEnabled: boolean }> | undefined = ok(
    { KeyRotationEnabled: true },
    'kms:GetKeyRotationStatus',
  ),
  arn = ARN,
): RotationKeyRecord {
  const describe: Observation<KeyMetadata> =
    'ok' in meta
      ? meta
      : ok(
          {
            KeyId: arn.split('/').pop(),
            Arn: arn,
            KeyState: 'Enabled',
            Enabled: true,
            KeyManager: 'CUSTOMER',
            Origin: 'AWS_KMS',
            KeySpec: 'SYMMETRIC_DEFAULT',
            ...meta,
          },
          'kms:DescribeKey',
        );
  return { KeyArn: arn, Region: 'us-east-1', describe, ...(rotation ? { rotation } : {}) };
}

const listed = (region: string, count: number, unread = 0) => ({
  region,
  result: ok({ KeyCount: count, Unread: unread }, 'kms:ListKeys', region),
});

function judge(
  keys: RotationKeyRecord[],
  listings = [listed('us-east-1', keys.length), listed('eu-west-1', 0)],
) {
  const keyRotation: KeyRotation = { listings, keys };
  return control.evaluate(new SnapshotView(snapshot({ keyRotation })));
}

describe('KMS.4', () => {
  const cases: Array<{ name: string; keys: RotationKeyRecord[]; status: string | null; text?: RegExp }> = [
    { name: 'passes an enabled customer managed symmetric key that rotates', keys: [key()], status: 'PASS' },
    {
      name: 'fails one whose rotation is off',
      keys: [key({}, ok({ KeyRotationEnabled: false }, 'kms:GetKeyRotationStatus'))],
      status: 'FAIL',
      text: /automatic rotation off/,
    },
    {
      name: 'does not judge a disabled key',
      keys: [key({ KeyState: 'Disabled', Enabled: false }, undefined)],
      status: null,
    },
    {
      name: 'does not judge a key pending deletion',
      keys: [key({ KeyState: 'PendingDeletion' }, undefined)],
      status: null,
    },
    {
      name: 'does not judge an AWS managed key',
      keys: [key({ KeyManager: 'AWS' }, undefined)],
      status: null,
    },
    {
      name: 'does not judge an asymmetric key',
      keys: [key({ KeySpec: 'RSA_2048' }, undefined)],
      status: null,
    },
    {
      name: 'does not judge imported key material',
      keys: [key({ Origin: 'EXTERNAL' }, undefined)],
      status: null,
    },
    {
      name: 'is UNKNOWN, naming the permission, when the rotation may not be read',
      keys: [key({}, denied('kms:GetKeyRotationStatus'))],
      status: 'UNKNOWN',
      text: /kms:GetKeyRotationStatus/,
    },
    {
      name: 'is UNKNOWN when the key may not be described',
      keys: [key(denied('kms:DescribeKey'), undefined)],
      status: 'UNKNOWN',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const findings = judge(c.keys);
      if (c.status === null) return assert.deepEqual(findings, []);
      assert.equal(findings.length, 1);
      const [f] = findings;
      assert.equal(f?.status, c.status, plain(f?.message ?? []));
      assert.equal(f?.resource.type, 'AwsKmsKey');
      if (c.text)
        assert.match(`${plain(f?.message ?? [])} ${f?.remediation?.permissions?.join(',') ?? ''}`, c.text);
    });

  it('gives the exact enable-key-rotation command for a failing key, by its id in its Region', () => {
    const [f] = judge([key({}, ok({ KeyRotationEnabled: false }, 'kms:GetKeyRotationStatus'))]);
    assert.deepEqual(f?.remediation?.cli, [
      'aws kms enable-key-rotation --region us-east-1 --key-id 1111-2222',
    ]);
    assert.deepEqual(f?.remediation?.permissions, undefined);
  });

  it('is UNKNOWN with the permission for a Region whose keys could not be listed, never PASS', () => {
    const findings = judge(
      [],
      [listed('us-east-1', 0), { region: 'eu-west-1', result: denied('kms:ListKeys', 'eu-west-1') }],
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.deepEqual(findings[0]?.remediation?.permissions, ['kms:ListKeys']);
    assert.equal(findings[0]?.resource.region, 'eu-west-1');
  });

  it('is UNKNOWN for a Region that is not enabled (the listing failed)', () => {
    const off = failed<{ KeyCount: number; Unread: number }>(
      'kms:ListKeys',
      'region-disabled',
      'UnrecognizedClientException',
      'eu-west-1',
    );
    const [f] = judge([], [{ region: 'eu-west-1', result: off }]);
    assert.equal(f?.status, 'UNKNOWN');
    assert.match(plain(f?.remediation?.summary ?? []), /not enabled/);
  });

  it('says how many keys past the bound were listed but not checked', () => {
    const [f] = judge([], [listed('us-east-1', 3000, 500)]);
    assert.equal(f?.status, 'UNKNOWN');
    assert.match(plain(f?.message ?? []), /500 KMS keys in us-east-1 could not be checked/);
  });

  it('is UNKNOWN (not collected) for a snapshot taken for other controls', () => {
    const findings = control.evaluate(new SnapshotView(snapshot({})));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.match(plain(findings[0]?.message ?? []), /kms:ListKeys/);
  });

  it('plans the fix, which the simulation closes, with DisableKeyRotation as its undo', () => {
    const snap = snapshot({
      keyRotation: {
        listings: [listed('us-east-1', 1)],
        keys: [key({}, ok({ KeyRotationEnabled: false }, 'kms:GetKeyRotationStatus'))],
      },
      regions: ['us-east-1'],
    });
    assert.equal(assess(snap, [control]).findings[0]?.status, 'FAIL');
    const plan = buildPlan(snap, [control]);
    assert.deepEqual(
      plan.steps.map((s) => `${s.call.service}:${s.call.operation}`),
      ['kms:EnableKeyRotation'],
      plan.warnings.join('; '),
    );
    assert.deepEqual(
      plan.steps[0]?.undo.calls.map((c) => c.operation),
      ['DisableKeyRotation'],
    );
    // A key whose rotation is on already needs no undo; one created by the plan keeps its setting.
    const call = plan.steps[0]?.call;
    assert.ok(call);
    const on = snapshot({
      keyRotation: { listings: [listed('us-east-1', 1)], keys: [key()] },
      regions: ['us-east-1'],
    });
    const undo = undoFor(call, on, new Set());
    assert.ok('kind' in undo && undo.kind === 'none');
  });

  it('says the rotation of an existing key in the Terraform and CloudFormation forms instead of dropping it', () => {
    const snap = snapshot({
      keyRotation: {
        listings: [listed('us-east-1', 1)],
        keys: [key({}, ok({ KeyRotationEnabled: false }, 'kms:GetKeyRotationStatus'))],
      },
      regions: ['us-east-1'],
    });
    const plan = buildPlan(snap, [control]);
    const keyId = text(plan.steps[0]?.call.input.KeyId);
    assert.ok(keyId.length > 0);
    const command = `aws kms enable-key-rotation --region us-east-1 --key-id ${keyId}`;
    const tf = renderPlanTerraform(plan, snap);
    assert.ok(tf.includes(`# Key ${keyId} (us-east-1) gets automatic rotation turned on`), tf);
    assert.ok(tf.includes(`# ${command}`), tf);
    assert.doesNotMatch(tf, /resource "aws_kms_key"/, 'the key is not Terraform’s to manage');
    const cfn = renderPlanCloudFormation(plan, snap);
    assert.doesNotMatch(cfn, /nothing for CloudFormation to create or change/);
    assert.ok(cfn.includes(command), cfn);
  });
});
