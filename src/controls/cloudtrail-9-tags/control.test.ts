import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import type { AssessOptions } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { Snapshot, Tags } from '../../snapshot/schema.js';
import { denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const run = (snap: Snapshot, options: AssessOptions = {}) =>
  control.evaluate(new SnapshotView(snap, options));
const tagged = (region: string, ...pairs: Array<[string, string]>) =>
  ok<Tags>({ TagsList: pairs.map(([Key, Value]) => ({ Key, Value })) }, 'cloudtrail:ListTags', region);
const one = (input: Parameters<typeof trail>[0], options: AssessOptions = {}) => {
  const findings = run(snapshot({ trails: [trail(input)] }), options);
  assert.equal(findings.length, 1);
  const finding = findings[0]!;
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli.join('\n') ?? '' };
};

describe('CloudTrail.9 trail tags', () => {
  it('passes a tagged trail, naming its tags, with ListTags as evidence', () => {
    const v = one({ Name: 'Main', tags: tagged('us-east-1', ['Owner', 'security'], ['CostCenter', '42']) });
    assert.equal(v.status, 'PASS');
    assert.equal(v.text, 'Trail Main is tagged (Owner and CostCenter).');
    assert.deepEqual(
      v.evidence.find((e) => e.source === 'cloudtrail:ListTags'),
      {
        source: 'cloudtrail:ListTags',
        region: 'us-east-1',
        facts: {
          TagsList: [
            { Key: 'Owner', Value: 'security' },
            { Key: 'CostCenter', Value: '42' },
          ],
        },
      },
    );
    assert.equal(v.remediation, null);
  });

  it('fails a trail with no tags; the fix adds an Owner tag in the home Region', () => {
    const v = one({ Name: 'Irish', HomeRegion: 'eu-west-1', tags: tagged('eu-west-1') });
    assert.equal(v.status, 'FAIL');
    assert.equal(v.text, 'Trail Irish has no tags, so nothing records who owns it or what it is for.');
    assert.deepEqual(v.remediation?.cli, [
      "aws cloudtrail add-tags --region eu-west-1 --resource-id arn:aws:cloudtrail:eu-west-1:123456789012:trail/Irish --tags-list 'Key=Owner,Value=<owner>'",
    ]);
  });

  it('ignores system tags (aws:…): a trail with only those fails, and the message does not say it has none', () => {
    const v = one({
      Name: 'Stacked',
      tags: tagged(
        'us-east-1',
        ['aws:cloudformation:stack-name', 'audit'],
        ['AWS:cloudformation:logical-id', 'Trail'],
      ),
    });
    assert.equal(v.status, 'FAIL');
    assert.equal(
      v.text,
      'Trail Stacked has only AWS system tags (aws:…), so nothing records who owns it or what it is for.',
    );
  });

  it('with required keys, passes only when every one is present (keys are case-sensitive)', () => {
    const required = { requiredTagKeys: ['Owner', 'CostCenter'] };
    assert.equal(
      one(
        { Name: 'Main', tags: tagged('us-east-1', ['Owner', 'a'], ['CostCenter', 'b'], ['Env', 'c']) },
        required,
      ).status,
      'PASS',
    );
    const v = one({ Name: 'Main', tags: tagged('us-east-1', ['owner', 'a'], ['Env', 'c']) }, required);
    assert.equal(v.status, 'FAIL');
    assert.equal(v.text, 'Trail Main lacks the required tag Owner and CostCenter.');
    assert.equal(
      v.fix,
      "aws cloudtrail add-tags --region us-east-1 --resource-id arn:aws:cloudtrail:us-east-1:123456789012:trail/Main --tags-list 'Key=Owner,Value=<owner>' 'Key=CostCenter,Value=<costcenter>'",
    );
    assert.match(v.remediation!.console.join(' '), /add Owner, CostCenter/);
  });

  it('a required key is not satisfied by a system tag of the same name', () => {
    const v = one(
      { Name: 'Main', tags: tagged('us-east-1', ['aws:Owner', 'x']) },
      { requiredTagKeys: ['aws:Owner'] },
    );
    assert.notEqual(v.status, 'PASS');
  });

  it('with required keys and no tags at all, the fix adds exactly the required keys', () => {
    const v = one({ Name: 'Main', tags: tagged('us-east-1') }, { requiredTagKeys: ['Team'] });
    assert.equal(v.status, 'FAIL');
    assert.match(v.fix, /--tags-list 'Key=Team,Value=<team>'$/);
  });

  it('is UNKNOWN, naming cloudtrail:ListTags, when the tags cannot be read', () => {
    const v = one({ Name: 'Main', tags: denied('cloudtrail:ListTags') });
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /The tags of trail Main could not be read/);
    assert.deepEqual(v.remediation?.permissions, ['cloudtrail:ListTags']);
    assert.equal(v.evidence.find((e) => e.source === 'cloudtrail:ListTags')?.error?.code, 'AccessDenied');
  });

  it('is UNKNOWN when ListTags was throttled for good', () => {
    const v = one({ Name: 'Main', tags: failed('cloudtrail:ListTags', 'throttled', 'ThrottlingException') });
    assert.equal(v.status, 'UNKNOWN');
  });

  it('is UNKNOWN, never PASS or FAIL, when the snapshot was collected without tags', () => {
    const v = one({ Name: 'Main' });
    assert.equal(v.status, 'UNKNOWN');
    assert.match(v.text, /the snapshot does not include cloudtrail:ListTags/);
  });

  it('gives no finding for an organization trail another account owns, nor for zero trails', () => {
    const org = trail({ Name: 'OrgTrail', owner: '999999999999', IsOrganizationTrail: true });
    assert.deepEqual(run(snapshot({ trails: [org] })), []);
    assert.deepEqual(run(snapshot({ trails: [] })), []);
  });

  it('gives one UNKNOWN finding for a Region whose trails could not be listed', () => {
    const findings = run(
      snapshot({
        trails: [trail({ Name: 'Main', tags: tagged('us-east-1', ['Owner', 'x']) })],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.status, f.resource.name]),
      [
        ['PASS', 'Main'],
        ['UNKNOWN', 'trails in Region eu-west-1'],
      ],
    );
    assert.match(plain(findings[1]!.message), /the tags of any trail homed there was not checked/);
  });

  it('says in one sentence which trails lack tags', () => {
    const findings = run(
      snapshot({
        trails: [
          trail({ Name: 'a', tags: tagged('us-east-1') }),
          trail({ Name: 'b', tags: tagged('us-east-1', ['Owner', 'x']) }),
        ],
      }),
    );
    assert.equal(
      plain(texts.meaning({ status: 'FAIL', findings })),
      'a lacks the tags that say who owns it.',
    );
  });
});
