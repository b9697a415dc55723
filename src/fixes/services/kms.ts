/** KMS's write operations: keys created (and kept), aliases, key policies, rotation and key state. */
import { isRef, ref, refSource, text } from '../../core/api-call.js';
import { apiCall } from '../../core/api-call.js';
import type { Draft } from './draft.js';
import type { RotationKeyRecord } from '../../snapshot/schema.js';
import { findKey, findRotationKey, newKeyId, ok, str } from './draft.js';
import type { ServiceOperations, TargetContext } from './types.js';
import { NoUndo, none, revert } from './types.js';

function setKeyState(draft: Draft, keyId: string, state: 'Enabled' | 'Disabled'): unknown {
  const record = draft.key(keyId);
  if (record?.describe.ok) {
    record.describe = ok(
      { ...record.describe.value, KeyState: state, Enabled: state === 'Enabled' },
      'kms:DescribeKey',
      record.Region,
    );
  }
  return {};
}

/** Rotation of an existing key (KMS.4's evidence); a key this plan creates is not listed and changes nothing. */
function setRotation(draft: Draft, keyId: string, enabled: boolean): unknown {
  const section = draft.snapshot.keyRotation;
  const found = findRotationKey(draft.snapshot, keyId);
  if (!section || !found) return {};
  const changed: RotationKeyRecord = {
    ...found,
    rotation: ok({ KeyRotationEnabled: enabled }, 'kms:GetKeyRotationStatus', found.Region),
  };
  draft.snapshot.keyRotation = { ...section, keys: section.keys.map((k) => (k === found ? changed : k)) };
  return {};
}

/** The new key (made earlier in the same steps) a value refers to. */
const keyOf = (context: TargetContext, value: unknown) =>
  isRef(value) ? context.targets.keys.find((k) => k.output === refSource(value)) : undefined;

export const KMS: ServiceOperations = {
  CreateKey: {
    simulate: (draft, input, call) => {
      const snapshot = draft.snapshot;
      const id = newKeyId(call.output ?? 'key');
      const arn = `arn:${snapshot.account.Partition}:kms:${call.region}:${snapshot.account.Account}:key/${id}`;
      draft.addKey({
        KeyId: arn,
        Region: call.region,
        describe: ok(
          {
            KeyId: id,
            Arn: arn,
            KeyState: 'Enabled',
            Enabled: true,
            KeyManager: 'CUSTOMER',
            Origin: 'AWS_KMS',
          },
          'kms:DescribeKey',
          call.region,
        ),
        policy: ok({ Policy: str(input.Policy) ?? '' }, 'kms:GetKeyPolicy', call.region),
      });
      return { KeyMetadata: { KeyId: id, Arn: arn } };
    },
    undo: (call) => ({
      kind: 'keep',
      calls: [],
      manual: call.output
        ? [
            apiCall('kms', 'ScheduleKeyDeletion', call.region, {
              KeyId: ref(`${call.output}.KeyMetadata.Arn`),
              PendingWindowInDays: 30,
            }),
          ]
        : [],
      exact: false,
      note: 'keep the new KMS key: log files may already be encrypted with it, and deleting a key loses them (it is charged per month while it exists; schedule its deletion by hand once nothing uses it)',
    }),
    creates: (call) => (call.output ? [`key:${call.output}`] : []),
    target: (call, { targets }) => {
      if (call.output)
        targets.keys.push({
          output: call.output,
          region: call.region,
          description: text(call.input.Description),
          policy: text(call.input.Policy),
          rotation: false,
        });
    },
  },
  PutKeyPolicy: {
    simulate: (draft, input) => {
      const record = draft.key(str(input.KeyId) ?? '');
      if (record) record.policy = ok({ Policy: str(input.Policy) ?? '' }, 'kms:GetKeyPolicy', record.Region);
      return {};
    },
    undo: (call, before) => {
      const { input, region } = call;
      const record = findKey(before, text(input.KeyId));
      if (!record?.policy?.ok) return new NoUndo(`the policy of key ${text(input.KeyId)} was not read`);
      return revert(
        [
          apiCall('kms', 'PutKeyPolicy', region, {
            KeyId: text(input.KeyId),
            PolicyName: 'default',
            Policy: record.policy.value.Policy,
          }),
        ],
        `put the old policy of key ${text(input.KeyId)} back, word for word`,
      );
    },
    document: (call) => `keypolicy:${text(call.input.KeyId)}`,
    target: (call, { targets }) => {
      targets.keyPolicies.push({
        keyId: text(call.input.KeyId),
        region: call.region,
        policy: text(call.input.Policy),
      });
    },
  },
  EnableKey: {
    simulate: (draft, input) => setKeyState(draft, str(input.KeyId) ?? '', 'Enabled'),
    undo: (call, before) => {
      const { input, region } = call;
      const record = findKey(before, text(input.KeyId));
      if (!record?.describe.ok) return new NoUndo(`the state of key ${text(input.KeyId)} was not read`);
      if (record.describe.value.KeyState === 'Enabled') return none('the key was enabled already');
      return revert(
        [apiCall('kms', 'DisableKey', region, { KeyId: text(input.KeyId) })],
        `disable key ${text(input.KeyId)} again`,
      );
    },
    target: (call, { targets }) => {
      targets.enabledKeys.push({ keyId: text(call.input.KeyId), region: call.region });
    },
  },
  DisableKey: {
    simulate: (draft, input) => setKeyState(draft, str(input.KeyId) ?? '', 'Disabled'),
  },
  CreateAlias: {
    simulate: () => ({}),
    undo: (call) => ({
      kind: 'remove',
      calls: [apiCall('kms', 'DeleteAlias', call.region, { AliasName: text(call.input.AliasName) })],
      exact: true,
      note: `delete alias ${text(call.input.AliasName)}, which this run created (the key stays)`,
    }),
    creates: (call) => [`alias:${call.region}:${text(call.input.AliasName)}`],
    names: (call) => [{ kind: 'alias', name: text(call.input.AliasName), region: call.region }],
    target: (call, context) => {
      const key = keyOf(context, call.input.TargetKeyId);
      if (key) key.alias = text(call.input.AliasName);
    },
  },
  DeleteAlias: {
    simulate: () => ({}),
  },
  EnableKeyRotation: {
    simulate: (draft, input) => setRotation(draft, str(input.KeyId) ?? '', true),
    undo: (call, before) => {
      const { input, region } = call;
      const existing = findRotationKey(before, text(input.KeyId));
      if (!existing) return none('a setting of the new key, which is kept');
      if (!existing.rotation?.ok) return new NoUndo(`the rotation of key ${text(input.KeyId)} was not read`);
      if (existing.rotation.value.KeyRotationEnabled) return none('rotation was on already');
      return revert(
        [apiCall('kms', 'DisableKeyRotation', region, { KeyId: text(input.KeyId) })],
        `turn automatic rotation of key ${text(input.KeyId)} off again`,
      );
    },
    target: (call, context) => {
      const key = keyOf(context, call.input.KeyId);
      if (key) key.rotation = true;
      // An existing key is not the forms' to manage: they say the change in a comment instead of dropping it.
      else context.targets.rotatedKeys.push({ keyId: text(call.input.KeyId), region: call.region });
    },
  },
  DisableKeyRotation: {
    simulate: (draft, input) => setRotation(draft, str(input.KeyId) ?? '', false),
  },
};

export { newKeyId };
