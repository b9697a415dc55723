/**
 * CloudTrail.10 on hand-built snapshots. moto does not implement CloudTrail Lake (ListEventDataStores
 * answers an HTML 500), so every PASS and FAIL of this control is tested here; the emulator scenario is the
 * UNKNOWN one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { EventDataStore, EventDataStores, Observation, Snapshot } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const run = (snap: Snapshot) => control.evaluate(new SnapshotView(snap));
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const storeArn = (id: string, region = 'eu-west-1') =>
  `arn:aws:cloudtrail:${region}:123456789012:eventdatastore/${id}`;

function store(
  id: string,
  fields: Partial<EventDataStore> | Observation<EventDataStore>,
  region = 'eu-west-1',
) {
  const arn = storeArn(id, region);
  const details =
    'ok' in fields
      ? fields
      : ok<EventDataStore>(
          { EventDataStoreArn: arn, Status: 'ENABLED', ...fields },
          'cloudtrail:GetEventDataStore',
          region,
        );
  return { EventDataStoreArn: arn, Region: region, details };
}

function lake(
  stores: EventDataStores['stores'],
  failures: Record<string, Observation<{ EventDataStoreArns: string[] }>> = {},
): EventDataStores {
  return {
    discovery: ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      result:
        failures[region] ??
        ok(
          { EventDataStoreArns: stores.filter((s) => s.Region === region).map((s) => s.EventDataStoreArn) },
          'cloudtrail:ListEventDataStores',
          region,
        ),
    })),
    stores,
  };
}

describe('CloudTrail.10 Lake event data stores encrypted with a customer managed key (hand-built: moto has no CloudTrail Lake)', () => {
  it('passes a store with a customer managed key, naming store and key, with GetEventDataStore as evidence', () => {
    const [finding, ...rest] = run(
      snapshot({ eventDataStores: lake([store('eds1', { Name: 'audit-lake', KmsKeyId: KEY })]) }),
    );
    assert.equal(rest.length, 0);
    assert.equal(finding?.status, 'PASS');
    assert.equal(
      plain(finding.message),
      `Event data store audit-lake is encrypted with the customer managed key ${KEY}.`,
    );
    assert.deepEqual(finding.resource, {
      type: 'AwsCloudTrailEventDataStore',
      id: storeArn('eds1'),
      name: 'audit-lake',
      region: 'eu-west-1',
    });
    assert.deepEqual(finding.evidence, [
      {
        source: 'cloudtrail:GetEventDataStore',
        region: 'eu-west-1',
        facts: { Name: 'audit-lake', KmsKeyId: KEY, Status: 'ENABLED' },
      },
    ]);
  });

  it('fails a store encrypted with a key AWS owns; the fix sets a key on that store in its Region', () => {
    const [finding] = run(snapshot({ eventDataStores: lake([store('eds2', { Name: 'default-lake' })]) }));
    assert.equal(finding?.status, 'FAIL');
    assert.equal(
      plain(finding.message),
      'Event data store default-lake is encrypted with a key AWS owns (no KmsKeyId), not a customer managed key.',
    );
    assert.deepEqual(finding.remediation?.cli, [
      `aws cloudtrail update-event-data-store --region eu-west-1 --event-data-store ${storeArn('eds2')} --kms-key-id '<key-arn-in-the-same-region>'`,
    ]);
    assert.match(plain(finding.remediation.summary), /cannot be undone/);
    assert.equal(finding.evidence[0]?.facts?.KmsKeyId, null, 'the absent key is evidence too');
  });

  it('names a store by its ARN when it has no name', () => {
    const [finding] = run(snapshot({ eventDataStores: lake([store('eds3', {})]) }));
    assert.equal(finding?.resource.name, storeArn('eds3'));
  });

  it('is UNKNOWN, naming the permission, when GetEventDataStore is denied for a store', () => {
    const [finding] = run(
      snapshot({
        eventDataStores: lake([store('eds4', denied('cloudtrail:GetEventDataStore', 'eu-west-1'))]),
      }),
    );
    assert.equal(finding?.status, 'UNKNOWN');
    assert.equal(finding.resource.name, storeArn('eds4'));
    assert.match(plain(finding.message), /could not be read/);
    assert.deepEqual(finding.remediation?.permissions, ['cloudtrail:GetEventDataStore']);
  });

  it('one Region whose stores could not be listed is one UNKNOWN finding; stores seen elsewhere are still judged', () => {
    const findings = run(
      snapshot({
        eventDataStores: lake([store('eds5', { Name: 'good', KmsKeyId: KEY })], {
          'us-east-1': denied('cloudtrail:ListEventDataStores'),
        }),
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.status, f.resource.type, f.resource.name]),
      [
        ['PASS', 'AwsCloudTrailEventDataStore', 'good'],
        ['UNKNOWN', 'AwsAccount', 'event data stores in Region us-east-1'],
      ],
    );
    const unknown = findings[1]!;
    assert.match(
      plain(unknown.message),
      /could not be listed in Region us-east-1 .*any store there was not checked/,
    );
    assert.deepEqual(unknown.remediation?.permissions, ['cloudtrail:ListEventDataStores']);
    assert.equal(
      plain(texts.meaning({ status: 'UNKNOWN', findings })),
      plain(unknown.message),
      'the summary says what could not be listed, not that all stores passed',
    );
  });

  it('a listing that failed with a server error (as on moto) is UNKNOWN, never PASS', () => {
    const findings = run(
      snapshot({
        eventDataStores: lake([], {
          'us-east-1': failed('cloudtrail:ListEventDataStores', 'service-error', 'HTTP500'),
          'eu-west-1': failed('cloudtrail:ListEventDataStores', 'service-error', 'HTTP500', 'eu-west-1'),
        }),
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.equal(findings[0]?.resource.name, 'event data stores in all 2 scanned Regions');
  });

  it('gives no finding when every Region was listed and the account has no store', () => {
    const findings = run(snapshot({ eventDataStores: lake([]) }));
    assert.deepEqual(findings, []);
    assert.equal(
      plain(texts.meaning({ status: 'NOT_APPLICABLE', findings })),
      'The account has no CloudTrail Lake event data store.',
    );
  });

  it('is UNKNOWN, never PASS, when the snapshot was collected without CloudTrail Lake', () => {
    const findings = run(snapshot({ collected: ['cloudtrail.trails'] }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.match(plain(findings[0].message), /the snapshot does not include cloudtrail:ListEventDataStores/);
  });

  it('judges several stores, one finding each, and says which are not on your key', () => {
    const findings = run(
      snapshot({
        eventDataStores: lake([
          store('a', { Name: 'mine', KmsKeyId: KEY }),
          store('b', { Name: 'theirs' }, 'us-east-1'),
        ]),
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['mine', 'PASS'],
        ['theirs', 'FAIL'],
      ],
    );
    assert.equal(
      plain(texts.meaning({ status: 'FAIL', findings })),
      'Event data store theirs is encrypted with a key AWS owns, not one you control.',
    );
  });
});
