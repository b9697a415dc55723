import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { BucketRecord, Snapshot, TrailRecord } from '../../snapshot/schema.js';
import { bucketWith, denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const BUCKET = 'trail-logs';
const ACCOUNT = '123456789012';
const MAIN_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Main`;
type Statement = Record<string, unknown>;

const aclCheck = (condition?: Record<string, unknown>): Statement => ({
  Sid: 'AWSCloudTrailAclCheck',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:GetBucketAcl',
  Resource: `arn:aws:s3:::${BUCKET}`,
  ...(condition ? { Condition: condition } : {}),
});
const write = (
  condition?: Record<string, unknown>,
  resource = `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
): Statement => ({
  Sid: 'AWSCloudTrailWrite',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
const ACL = { 's3:x-amz-acl': 'bucket-owner-full-control' };
const scopedWrite = (arn = MAIN_ARN) => write({ StringEquals: { ...ACL, 'aws:SourceArn': arn } });
const tlsOnly: Statement = {
  Sid: 'TlsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const policyOf = (...statements: Statement[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

function bucketSnapshot(
  policy: BucketRecord['policy'] | string | null,
  trails: TrailRecord[] = [trail({ Name: 'Main', S3BucketName: BUCKET })],
) {
  const observation =
    typeof policy === 'string'
      ? ok({ Policy: policy }, 's3:GetBucketPolicy')
      : policy === null
        ? ok({}, 's3:GetBucketPolicy')
        : policy;
  return snapshot({ trails, buckets: [bucketWith(BUCKET, observation ? { policy: observation } : {})] });
}

function verdict(snap: Snapshot) {
  const findings = control.evaluate(new SnapshotView(snap));
  assert.equal(findings.length, 1, 'one finding per trail bucket');
  const finding = findings[0]!;
  assert.equal(finding.resource.id, `arn:aws:s3:::${BUCKET}`);
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli ?? [] };
}

/** The policy the fix writes with put-bucket-policy. */
function writtenPolicy(cli: string[]): { Version?: string; Id?: string; Statement: Statement[] } {
  assert.equal(cli.length, 1);
  const match =
    /^aws s3api put-bucket-policy --region us-east-1 --bucket trail-logs --policy '([^']*)' --expected-bucket-owner 123456789012$/.exec(
      cli[0]!,
    );
  assert.ok(match, cli[0]);
  return JSON.parse(match[1]!) as { Statement: Statement[] };
}

describe('TC.BucketPolicyScoped the bucket policy lets only the account’s trails write', () => {
  describe('PASS', () => {
    it('the CloudTrail policy scoped by aws:SourceArn, with the policy as evidence', () => {
      const policy = policyOf(
        aclCheck({ StringEquals: { 'aws:SourceArn': MAIN_ARN } }),
        scopedWrite(),
        tlsOnly,
      );
      const v = verdict(bucketSnapshot(policy));
      assert.equal(v.status, 'PASS');
      assert.equal(
        v.text,
        'The policy of bucket trail-logs (the log bucket of trail Main) lets that trail write its logs, and every CloudTrail write grant is limited by aws:SourceArn or aws:SourceAccount.',
      );
      assert.deepEqual(v.evidence.find((e) => e.source === 's3:GetBucketPolicy')?.facts, { Policy: policy });
      assert.equal(v.remediation, null);
    });

    it('scoped by aws:SourceAccount, or by an ArnLike aws:SourceArn with the account fixed', () => {
      for (const condition of [
        { StringEquals: { ...ACL, 'aws:SourceAccount': ACCOUNT } },
        { StringEquals: ACL, ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
      ]) {
        assert.equal(
          verdict(bucketSnapshot(policyOf(aclCheck(), write(condition)))).status,
          'PASS',
          JSON.stringify(condition),
        );
      }
    });

    it('a trail with a key prefix, whose grant covers that prefix', () => {
      const prefixed = trail({ Name: 'Main', S3BucketName: BUCKET, S3KeyPrefix: 'audit' });
      const policy = policyOf(
        aclCheck(),
        write(
          { StringEquals: { 'aws:SourceArn': MAIN_ARN } },
          `arn:aws:s3:::${BUCKET}/audit/AWSLogs/${ACCOUNT}/*`,
        ),
      );
      assert.equal(verdict(bucketSnapshot(policy, [prefixed])).status, 'PASS');
    });

    it('two trails sharing the bucket, both named in aws:SourceArn; the message speaks of both', () => {
      const trails = [
        trail({ Name: 'Main', S3BucketName: BUCKET }),
        trail({ Name: 'Irish', S3BucketName: BUCKET, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
      ];
      const both = [MAIN_ARN, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/Irish`];
      const v = verdict(
        bucketSnapshot(
          policyOf(aclCheck(), write({ StringEquals: { ...ACL, 'aws:SourceArn': both } })),
          trails,
        ),
      );
      assert.equal(v.status, 'PASS');
      assert.match(v.text, /\(the log bucket of trail Main and Irish\) lets those trails write their logs/);
    });

    it('a grant to "*" that CloudTrail can never use (aws:PrincipalOrgID, aws:SourceVpce) is not a CloudTrail write grant', () => {
      for (const condition of [
        { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
        { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      ]) {
        const uploads = {
          Sid: 'OrgUploads',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: condition,
        };
        const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), uploads)));
        assert.equal(v.status, 'PASS', JSON.stringify(condition));
      }
    });

    it('a data-perimeter Deny outside the organization that exempts AWS services does not block CloudTrail', () => {
      const perimeter = {
        Sid: 'DenyOutsideOrg',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abcdefghij' },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      };
      assert.equal(verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), perimeter))).status, 'PASS');
    });

    it('a Deny on uploads without bucket-owner-full-control does not block CloudTrail, which sends it', () => {
      const requireAcl = {
        Sid: 'RequireOwnerAcl',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      };
      assert.equal(verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), requireAcl))).status, 'PASS');
    });
  });

  describe('FAIL', () => {
    it('no bucket policy: CloudTrail may not write; the fix writes the scoped CloudTrail statements', () => {
      const v = verdict(bucketSnapshot(null));
      assert.equal(v.status, 'FAIL');
      assert.equal(
        v.text,
        'Bucket trail-logs (the log bucket of trail Main) has no bucket policy, so CloudTrail is not allowed to write log files into it.',
      );
      assert.deepEqual(writtenPolicy(v.fix), {
        Version: '2012-10-17',
        Statement: [
          { ...aclCheck({ StringEquals: { 'aws:SourceArn': MAIN_ARN } }), Sid: 'AWSCloudTrailAclCheckMain0' },
          { ...scopedWrite(), Sid: 'AWSCloudTrailWriteMain1' },
        ],
      });
    });

    it('no policy for two trails whose names differ only in punctuation: every statement id in the fix is unique', () => {
      const trails = [
        trail({ Name: 'audit-trail', S3BucketName: BUCKET }),
        trail({
          Name: 'audit_trail',
          S3BucketName: BUCKET,
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: false,
        }),
      ];
      const v = verdict(bucketSnapshot(null, trails));
      const sids = writtenPolicy(v.fix).Statement.map((st) => st.Sid);
      assert.equal(sids.length, 4);
      assert.equal(new Set(sids).size, 4, JSON.stringify(sids));
    });

    it('an unscoped CloudTrail write grant; the fix adds aws:SourceArn to it and keeps every other statement verbatim', () => {
      const original = {
        Version: '2012-10-17',
        Id: 'LogBucket',
        Statement: [aclCheck(), write({ StringEquals: ACL }), tlsOnly],
      };
      const v = verdict(bucketSnapshot(JSON.stringify(original)));
      assert.equal(v.status, 'FAIL');
      assert.equal(
        v.text,
        "The policy of bucket trail-logs (the log bucket of trail Main): statement 'AWSCloudTrailWrite' lets any trail of any account write here (no fixed aws:SourceArn or aws:SourceAccount).",
      );
      assert.deepEqual(writtenPolicy(v.fix), {
        Version: '2012-10-17',
        Id: 'LogBucket',
        Statement: [aclCheck(), write({ StringEquals: { ...ACL, 'aws:SourceArn': [MAIN_ARN] } }), tlsOnly],
      });
      assert.match(
        plain(v.remediation!.summary),
        /limit every CloudTrail write grant to trail Main with aws:SourceArn/,
      );
    });

    it('a grant CloudTrail shares with AWS Config: the fix scopes a CloudTrail-only copy and leaves Config’s grant as it was', () => {
      const shared = {
        Sid: 'LogDelivery',
        Effect: 'Allow',
        Principal: { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: ACL },
      };
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), shared)));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /statement 'LogDelivery' lets any trail of any account write here/);
      assert.deepEqual(writtenPolicy(v.fix).Statement, [
        aclCheck(),
        { ...shared, Principal: { Service: 'config.amazonaws.com' } },
        {
          ...shared,
          Sid: 'LogDeliveryCloudTrail',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: { ...ACL, 'aws:SourceArn': [MAIN_ARN] } },
        },
      ]);
    });

    it('a grant with no Condition at all, named by number; the fix adds the condition', () => {
      const noSid = { ...write(), Sid: undefined };
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), noSid)));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /statement number 2 lets any trail of any account write here/);
      const written = writtenPolicy(v.fix);
      assert.deepEqual(written.Statement[1]?.Condition, { StringEquals: { 'aws:SourceArn': [MAIN_ARN] } });
    });

    it('conditions that do not pin the account: wildcard account, IfExists, negated operator, a set qualifier', () => {
      for (const condition of [
        { StringEquals: ACL, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/Main' } },
        { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } },
        { StringNotEquals: { 'aws:SourceAccount': '111122223333' } },
        { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': ACCOUNT } },
      ]) {
        const v = verdict(bucketSnapshot(policyOf(aclCheck(), write(condition))));
        assert.equal(v.status, 'FAIL', JSON.stringify(condition));
      }
    });

    it('a grant to "*" or {"AWS": "*"} that lets anyone write under the bucket is an unscoped CloudTrail grant', () => {
      for (const principal of ['*', { AWS: '*' }]) {
        const open = {
          Sid: 'Open',
          Effect: 'Allow',
          Principal: principal,
          Action: 's3:*',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
        };
        const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), open)));
        assert.equal(v.status, 'FAIL', JSON.stringify(principal));
        assert.match(v.text, /statement 'Open' lets any trail/);
      }
    });

    it('the policy lets another trail write but not this one (renamed trail); the fix adds a grant for it', () => {
      const v = verdict(
        bucketSnapshot(
          policyOf(aclCheck(), scopedWrite(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Old`)),
        ),
      );
      assert.equal(v.status, 'FAIL');
      assert.equal(
        v.text,
        'The policy of bucket trail-logs (the log bucket of trail Main): it does not let trail Main write log files (deliveries are refused).',
      );
      const written = writtenPolicy(v.fix);
      assert.equal(
        written.Statement.length,
        4,
        'the existing statements stay; one ACL check and one write grant are added',
      );
      assert.deepEqual(written.Statement.slice(0, 2), [
        aclCheck(),
        scopedWrite(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Old`),
      ]);
      assert.deepEqual(written.Statement[3]?.Condition, {
        StringEquals: { ...ACL, 'aws:SourceArn': MAIN_ARN },
      });
    });

    it('a trail with a key prefix whose grant misses the prefix; the fix grants the prefixed path', () => {
      const prefixed = trail({ Name: 'Main', S3BucketName: BUCKET, S3KeyPrefix: 'audit' });
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite()), [prefixed]));
      assert.equal(v.status, 'FAIL');
      const written = writtenPolicy(v.fix);
      assert.equal(written.Statement.at(-1)?.Resource, `arn:aws:s3:::${BUCKET}/audit/AWSLogs/${ACCOUNT}/*`);
    });

    it('one of two trails sharing the bucket is not allowed: named alone, and only it is added', () => {
      const trails = [
        trail({ Name: 'Main', S3BucketName: BUCKET }),
        trail({ Name: 'Irish', S3BucketName: BUCKET, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
      ];
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite()), trails));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /it does not let trail Irish write log files/);
      const added = writtenPolicy(v.fix).Statement.slice(2);
      assert.deepEqual(
        added.map(
          (s) => (s.Condition as { StringEquals: { 'aws:SourceArn': string } }).StringEquals['aws:SourceArn'],
        ),
        [
          `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/Irish`,
          `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/Irish`,
        ],
      );
    });

    it('an explicit Deny blocks CloudTrail: named in the message, and the fix does not pretend an Allow would help', () => {
      const denyAll = {
        Sid: 'NoWrites',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      };
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), denyAll)));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /statement 'NoWrites' denies trail Main its writes/);
      assert.doesNotMatch(
        v.fix.join('\n'),
        /AWSCloudTrailWriteMain/,
        'adding an Allow cannot beat an explicit Deny',
      );
      assert.match(v.remediation!.console.join(' '), /NoWrites/);
    });

    it('a Deny outside the organization without an AWS-service exemption blocks CloudTrail (no aws:PrincipalOrgID for services)', () => {
      const perimeter = {
        Sid: 'DenyOutsideOrg',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      };
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), perimeter)));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /statement 'DenyOutsideOrg' denies trail Main its writes/);
    });

    it('no grant and a Deny that would refuse one anyway: both named, the grant added and the Deny to narrow', () => {
      const denyAll = {
        Sid: 'NoWrites',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      };
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), denyAll)));
      assert.equal(v.status, 'FAIL');
      assert.match(
        v.text,
        /it does not let trail Main write log files .*; statement 'NoWrites' denies trail Main its writes/,
      );
      assert.equal(writtenPolicy(v.fix).Statement.length, 4);
      assert.match(v.remediation!.console.join(' '), /Narrow the Deny statement 'NoWrites'/);
    });

    it('both problems at once are both named', () => {
      const trails = [
        trail({ Name: 'Main', S3BucketName: BUCKET }),
        trail({ Name: 'Irish', S3BucketName: BUCKET, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
      ];
      const unscoped = write(
        { StringEquals: ACL },
        `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/*`,
      );
      const v = verdict(bucketSnapshot(policyOf(aclCheck(), unscoped), trails));
      assert.equal(v.status, 'FAIL');
      assert.match(
        v.text,
        /it does not let trail Irish write log files .*; statement 'AWSCloudTrailWrite' lets any trail/,
      );
    });
  });

  describe('UNKNOWN', () => {
    it('GetBucketPolicy denied: says the bucket may belong to another account and names the permission', () => {
      const v = verdict(bucketSnapshot(denied('s3:GetBucketPolicy')));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /The bucket policy of bucket trail-logs .* could not be read: .*another account/);
      assert.deepEqual(v.remediation?.permissions, ['s3:GetBucketPolicy']);
    });

    it('the snapshot holds no bucket policy (collected for other controls)', () => {
      const v = verdict(bucketSnapshot(undefined));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /the snapshot does not include s3:GetBucketPolicy/);
    });

    it('a malformed policy', () => {
      const v = verdict(bucketSnapshot('{"Statement": [{"Effect": "Allow", "Condition": "yes"}]}'));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(
        v.text,
        /the bucket policy cannot be read: statement 1: a Condition block is not an object/,
      );
    });

    it('a scoped grant with a condition trailcheck cannot evaluate (date, encryption header)', () => {
      for (const extra of [
        { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
        { StringEquals: { ...ACL, 'aws:SourceArn': MAIN_ARN, 's3:x-amz-server-side-encryption': 'aws:kms' } },
      ]) {
        const grant = write({ StringEquals: { ...ACL, 'aws:SourceArn': MAIN_ARN }, ...extra });
        const v = verdict(bucketSnapshot(policyOf(aclCheck(), grant)));
        assert.equal(v.status, 'UNKNOWN', JSON.stringify(extra));
        assert.match(v.text, /conditions trailcheck cannot evaluate for trail Main/);
      }
    });

    it('a Deny whose condition trailcheck cannot evaluate', () => {
      const requireKms = {
        Sid: 'RequireKms',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      };
      assert.equal(
        verdict(bucketSnapshot(policyOf(aclCheck(), scopedWrite(), requireKms))).status,
        'UNKNOWN',
      );
    });

    it('the bucket no longer exists', () => {
      const snap = snapshot({
        trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
        buckets: [{ Name: BUCKET, location: failed('s3:GetBucketLocation', 'not-found', 'NoSuchBucket') }],
      });
      const v = verdict(snap);
      assert.equal(v.status, 'UNKNOWN');
      assert.match(
        v.fix.join('\n'),
        /update-trail --region us-east-1 --name Main --s3-bucket-name '<existing-bucket>'/,
      );
    });
  });

  describe('which buckets', () => {
    it('no finding for an organization trail owned by another account, nor for zero trails', () => {
      const org = trail({
        Name: 'OrgTrail',
        owner: '999999999999',
        IsOrganizationTrail: true,
        S3BucketName: 'org-archive',
      });
      assert.deepEqual(control.evaluate(new SnapshotView(snapshot({ trails: [org] }))), []);
      const none = control.evaluate(new SnapshotView(snapshot({ trails: [] })));
      assert.deepEqual(none, []);
      assert.equal(
        plain(texts.meaning({ status: 'NOT_APPLICABLE', findings: none })),
        'There is no trail bucket in this account to check.',
      );
    });

    it('a Region whose trails could not be listed gives one UNKNOWN finding', () => {
      const snap = snapshot({
        trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
        buckets: [
          bucketWith(BUCKET, {
            policy: ok({ Policy: policyOf(aclCheck(), scopedWrite()) }, 's3:GetBucketPolicy'),
          }),
        ],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      });
      assert.deepEqual(
        control.evaluate(new SnapshotView(snap)).map((f) => [f.status, f.resource.name]),
        [
          ['PASS', BUCKET],
          ['UNKNOWN', 'trails in Region eu-west-1'],
        ],
      );
    });
  });
});
