import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import { cloudTrailBucketPolicy } from '../../fixes/policies.js';
import type { BucketRecord, Grant, Observation, PublicAccessBlock, Snapshot } from '../../snapshot/schema.js';
import {
  blockAll,
  bucketWith,
  denied,
  failed,
  noBlock,
  ok,
  snapshot,
  trail,
} from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const BUCKET = 'trail-logs';
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OWNER: Grant = { Grantee: { Type: 'CanonicalUser', ID: 'owner-id' }, Permission: 'FULL_CONTROL' };
const group = (uri: string, permission = 'READ'): Grant => ({
  Grantee: { Type: 'Group', URI: uri },
  Permission: permission,
});

type Statement = Record<string, unknown>;
const cloudTrailStatements = (
  JSON.parse(cloudTrailBucketPolicy('aws', '123456789012', BUCKET, TRAIL_ARN)) as { Statement: Statement[] }
).Statement;
const policyOf = (...statements: Statement[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const publicRead: Statement = {
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};

interface BucketSetting {
  grants?: Grant[];
  /** A policy text, or null for none (NoSuchBucketPolicy). */
  policy?: string | null;
  block?: Observation<PublicAccessBlock>;
  isPublic?: boolean;
  acl?: BucketRecord['acl'];
  policyObservation?: BucketRecord['policy'];
  statusObservation?: BucketRecord['policyStatus'];
  /** Account-level Block Public Access; null when not in the snapshot. */
  account?: Observation<PublicAccessBlock> | null;
}

/** The trail bucket as GetBucketAcl & co. describe it; by default private, with the CloudTrail policy. */
function bucketSnapshot(
  setting: BucketSetting = {},
  extra: Partial<Parameters<typeof snapshot>[0]> = {},
): Snapshot {
  const policy = setting.policy === undefined ? policyOf(...cloudTrailStatements) : setting.policy;
  const record = bucketWith(BUCKET, {
    acl:
      setting.acl ?? ok({ Owner: { ID: 'owner-id' }, Grants: setting.grants ?? [OWNER] }, 's3:GetBucketAcl'),
    policy: setting.policyObservation ?? ok(policy === null ? {} : { Policy: policy }, 's3:GetBucketPolicy'),
    publicAccessBlock: setting.block ?? noBlock(),
    policyStatus:
      setting.statusObservation ??
      ok(setting.isPublic === undefined ? {} : { IsPublic: setting.isPublic }, 's3:GetBucketPolicyStatus'),
  });
  const account = setting.account === undefined ? noBlock('s3control:GetPublicAccessBlock') : setting.account;
  return snapshot({
    trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
    buckets: [record],
    ...(account ? { accountPublicAccessBlock: account } : {}),
    ...extra,
  });
}

function verdict(snap: Snapshot) {
  const findings = control.evaluate(new SnapshotView(snap));
  assert.equal(findings.length, 1, 'one finding per trail bucket');
  const finding = findings[0]!;
  assert.equal(finding.resource.type, 'AwsS3Bucket');
  assert.equal(finding.resource.id, `arn:aws:s3:::${BUCKET}`);
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli ?? [] };
}

/** The policy document a put-bucket-policy command writes. */
function writtenPolicy(command: string): { Statement: Statement[]; [key: string]: unknown } {
  const match = /--policy '([^']*)'/.exec(command);
  assert.ok(match, `${command} writes a policy`);
  return JSON.parse(match[1]!) as { Statement: Statement[] };
}

const partialBlock = (settings: Partial<PublicAccessBlock>, operation = 's3:GetPublicAccessBlock') =>
  ok<PublicAccessBlock>({ Configured: true, ...settings }, operation);

describe('CloudTrail.6 the trail bucket is not public', () => {
  describe('PASS', () => {
    it('a private ACL and the CloudTrail bucket policy, with every piece of evidence carried', () => {
      const v = verdict(bucketSnapshot());
      assert.equal(v.status, 'PASS');
      assert.equal(
        v.text,
        'Bucket trail-logs (the log bucket of trail Main) is not publicly accessible: no ACL grant or policy statement opens it to the public.',
      );
      assert.deepEqual(
        v.evidence.map((e) => e.source),
        [
          'cloudtrail:DescribeTrails',
          's3:GetBucketLocation',
          's3:GetBucketAcl',
          's3:GetBucketPolicy',
          's3:GetPublicAccessBlock',
          's3:GetBucketPolicyStatus',
          's3control:GetPublicAccessBlock',
        ],
      );
      assert.equal(v.remediation, null);
    });

    it('no bucket policy at all', () => {
      assert.equal(verdict(bucketSnapshot({ policy: null })).status, 'PASS');
    });

    it('a public ACL neutralised by IgnorePublicAcls at account level', () => {
      const v = verdict(
        bucketSnapshot({
          grants: [OWNER, group(ALL_USERS)],
          account: partialBlock({ IgnorePublicAcls: true }, 's3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(v.status, 'PASS');
      assert.match(v.text, /is not publicly accessible: Block Public Access ignores its public ACL grants/);
    });

    it('a public ACL neutralised by IgnorePublicAcls on the bucket', () => {
      const v = verdict(
        bucketSnapshot({
          grants: [OWNER, group(AUTHENTICATED)],
          block: partialBlock({ IgnorePublicAcls: true }),
        }),
      );
      assert.equal(v.status, 'PASS');
    });

    it('a public policy neutralised by RestrictPublicBuckets (account or bucket)', () => {
      const policy = policyOf(...cloudTrailStatements, publicRead);
      const account = verdict(
        bucketSnapshot({
          policy,
          account: partialBlock({ RestrictPublicBuckets: true }, 's3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(account.status, 'PASS');
      assert.match(account.text, /Block Public Access restricts its public policy/);
      assert.equal(verdict(bucketSnapshot({ policy, block: blockAll() })).status, 'PASS');
    });

    it('GetBucketPolicyStatus IsPublic true neutralised by RestrictPublicBuckets', () => {
      assert.equal(verdict(bucketSnapshot({ isPublic: true, block: blockAll() })).status, 'PASS');
    });

    it('Principal "*" limited by a fixed aws:SourceAccount, aws:SourceVpce or aws:PrincipalOrgID is not public', () => {
      for (const condition of [
        { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
        { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
        { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      ]) {
        const v = verdict(
          bucketSnapshot({
            policy: policyOf(...cloudTrailStatements, { ...publicRead, Condition: condition }),
          }),
        );
        assert.equal(v.status, 'PASS', JSON.stringify(condition));
      }
    });

    it('a Deny statement to "*" (TLS only) is not a grant', () => {
      const denyHttp = {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      };
      assert.equal(
        verdict(bucketSnapshot({ policy: policyOf(...cloudTrailStatements, denyHttp) })).status,
        'PASS',
      );
    });

    it('an ACL grant to the LogDelivery group is not public', () => {
      const logDelivery = group('http://acs.amazonaws.com/groups/s3/LogDelivery', 'WRITE');
      assert.equal(verdict(bucketSnapshot({ grants: [OWNER, logDelivery] })).status, 'PASS');
    });

    it('the ACL cannot be read but IgnorePublicAcls makes it irrelevant', () => {
      const v = verdict(
        bucketSnapshot({
          acl: denied('s3:GetBucketAcl'),
          account: blockAll('s3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(v.status, 'PASS');
    });

    it('Block Public Access unreadable everywhere, but nothing public to block', () => {
      const v = verdict(
        bucketSnapshot({
          block: denied('s3:GetPublicAccessBlock'),
          account: denied('s3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(v.status, 'PASS');
    });
  });

  describe('FAIL', () => {
    it('an ACL grant to AllUsers; the fix blocks public access, drops that grant only, and leaves the policy alone', () => {
      const v = verdict(bucketSnapshot({ grants: [OWNER, group(ALL_USERS)] }));
      assert.equal(v.status, 'FAIL');
      assert.equal(
        v.text,
        'Bucket trail-logs (the log bucket of trail Main) is publicly accessible: its ACL grants READ to AllUsers (everyone), and Block Public Access does not stop it.',
      );
      // The ACL first, Block Public Access last: undone in reverse, the grants go back before it is lifted.
      assert.deepEqual(v.fix, [
        `aws s3api put-bucket-acl --region us-east-1 --bucket trail-logs --access-control-policy '{"Grants":[{"Grantee":{"Type":"CanonicalUser","ID":"owner-id"},"Permission":"FULL_CONTROL"}],"Owner":{"ID":"owner-id"}}' --expected-bucket-owner 123456789012`,
        'aws s3api put-public-access-block --region us-east-1 --bucket trail-logs --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true --expected-bucket-owner 123456789012',
      ]);
      assert.deepEqual(v.evidence.find((e) => e.source === 's3:GetBucketAcl')?.facts, {
        Grants: [OWNER, group(ALL_USERS)],
      });
    });

    it('an ACL grant to AuthenticatedUsers (any AWS account) fails too, unlike Prowler', () => {
      const v = verdict(bucketSnapshot({ grants: [OWNER, group(AUTHENTICATED, 'WRITE')] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /its ACL grants WRITE to AuthenticatedUsers \(anyone with an AWS account\)/);
    });

    it('BlockPublicAcls alone does not neutralise grants already in the ACL', () => {
      const v = verdict(
        bucketSnapshot({ grants: [OWNER, group(ALL_USERS)], block: partialBlock({ BlockPublicAcls: true }) }),
      );
      assert.equal(v.status, 'FAIL');
    });

    it('a policy statement allowing "*"; the fix removes only that statement and keeps the rest verbatim', () => {
      const original = {
        Version: '2012-10-17',
        Id: 'TrailBucketPolicy',
        Statement: [cloudTrailStatements[0], publicRead, cloudTrailStatements[1]],
      };
      const v = verdict(bucketSnapshot({ policy: JSON.stringify(original) }));
      assert.equal(v.status, 'FAIL');
      assert.match(
        v.text,
        /policy statement 'PublicRead' allows anyone s3:GetObject with no limiting condition/,
      );
      assert.equal(v.fix.length, 2);
      assert.match(v.fix[1]!, /put-public-access-block --region us-east-1 --bucket trail-logs/);
      assert.doesNotMatch(v.fix.join('\n'), /put-bucket-acl/, 'the ACL is not public: it is left alone');
      assert.deepEqual(writtenPolicy(v.fix[0]!), {
        Version: '2012-10-17',
        Id: 'TrailBucketPolicy',
        Statement: [cloudTrailStatements[0], cloudTrailStatements[1]],
      });
    });

    it('Principal {"AWS": "*"} and {"AWS": ["*"]} are public', () => {
      for (const principal of [{ AWS: '*' }, { AWS: ['arn:aws:iam::111122223333:root', '*'] }]) {
        const v = verdict(
          bucketSnapshot({
            policy: policyOf(...cloudTrailStatements, { ...publicRead, Principal: principal }),
          }),
        );
        assert.equal(v.status, 'FAIL', JSON.stringify(principal));
      }
    });

    it('an Allow with NotPrincipal and no limiting condition is public, named by its number when it has no Sid', () => {
      const notPrincipal = {
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      };
      const v = verdict(bucketSnapshot({ policy: policyOf(...cloudTrailStatements, notPrincipal) }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /policy statement number 3 allows anyone s3:GetObject, s3:ListBucket/);
    });

    it('a NotAction grant is described as "every action except"', () => {
      const notAction = {
        Sid: 'AllButDelete',
        Effect: 'Allow',
        Principal: '*',
        NotAction: 's3:DeleteObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      };
      const v = verdict(bucketSnapshot({ policy: policyOf(notAction) }));
      assert.match(v.text, /allows anyone every action except s3:DeleteObject/);
    });

    it('conditions that do not limit the grant: IfExists, negated operators, wildcards, a set qualifier, open CIDR', () => {
      for (const condition of [
        { StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' } },
        { StringNotEquals: { 'aws:SourceAccount': '111122223333' } },
        { StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*' } },
        { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
        { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
        { Bool: { 'aws:SecureTransport': 'true' } },
      ]) {
        const v = verdict(
          bucketSnapshot({
            policy: policyOf(...cloudTrailStatements, { ...publicRead, Condition: condition }),
          }),
        );
        assert.equal(v.status, 'FAIL', JSON.stringify(condition));
      }
    });

    it('BlockPublicPolicy alone does not neutralise a policy already in place', () => {
      const policy = policyOf(...cloudTrailStatements, publicRead);
      assert.equal(
        verdict(bucketSnapshot({ policy, block: partialBlock({ BlockPublicPolicy: true }) })).status,
        'FAIL',
      );
    });

    it('the only statement is public: the fix deletes the policy (a single Statement object)', () => {
      const v = verdict(
        bucketSnapshot({ policy: JSON.stringify({ Version: '2012-10-17', Statement: publicRead }) }),
      );
      assert.equal(v.status, 'FAIL');
      assert.deepEqual(v.fix.slice(0, 1), [
        'aws s3api delete-bucket-policy --region us-east-1 --bucket trail-logs --expected-bucket-owner 123456789012',
      ]);
    });

    it('S3 itself reports the policy public (GetBucketPolicyStatus) though no statement looks public', () => {
      const v = verdict(bucketSnapshot({ isPublic: true }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /S3 itself reports the bucket policy as public \(GetBucketPolicyStatus\)/);
      assert.equal(v.fix.length, 1, 'no statement is rewritten on a guess: Block Public Access is the fix');
    });

    it('S3 reports the policy public even when trailcheck cannot parse the policy', () => {
      const v = verdict(bucketSnapshot({ isPublic: true, policy: '{"Statement": "not a statement"}' }));
      assert.equal(v.status, 'FAIL');
    });

    it('a public policy fails even when the ACL cannot be read', () => {
      const v = verdict(bucketSnapshot({ acl: denied('s3:GetBucketAcl'), policy: policyOf(publicRead) }));
      assert.equal(v.status, 'FAIL');
    });

    it('both ACL and policy public: every reason named, both fixed', () => {
      const v = verdict(
        bucketSnapshot({
          grants: [OWNER, group(ALL_USERS)],
          policy: policyOf(...cloudTrailStatements, publicRead),
        }),
      );
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /ACL grants READ to AllUsers .*; policy statement 'PublicRead'/);
      assert.equal(v.fix.length, 3);
    });
  });

  describe('UNKNOWN', () => {
    it('the ACL cannot be read and nothing neutralises ACL grants', () => {
      const v = verdict(bucketSnapshot({ acl: denied('s3:GetBucketAcl') }));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(
        v.text,
        /Whether bucket trail-logs \(the log bucket of trail Main\) is public could not be determined/,
      );
      assert.deepEqual(v.remediation?.permissions, ['s3:GetBucketAcl']);
    });

    it('a public ACL while the bucket Block Public Access cannot be read', () => {
      const v = verdict(
        bucketSnapshot({ grants: [OWNER, group(ALL_USERS)], block: denied('s3:GetPublicAccessBlock') }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.deepEqual(v.remediation?.permissions, ['s3:GetBucketPublicAccessBlock']);
    });

    it('a public ACL while the account Block Public Access cannot be read', () => {
      const v = verdict(
        bucketSnapshot({
          grants: [OWNER, group(ALL_USERS)],
          account: denied('s3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.deepEqual(v.remediation?.permissions, ['s3:GetAccountPublicAccessBlock']);
      assert.equal(
        plain(v.remediation.summary),
        'Allow the scanning identity s3:GetAccountPublicAccessBlock for bucket trail-logs, then run trailcheck again.',
      );
    });

    it('a public policy while the account Block Public Access was not collected', () => {
      const v = verdict(bucketSnapshot({ policy: policyOf(publicRead), account: null }));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /account-level Block Public Access settings were not collected/);
    });

    it('a malformed bucket policy', () => {
      const v = verdict(bucketSnapshot({ policy: '{"Statement": [{"Effect": "Maybe"}]}' }));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /the bucket policy cannot be read: statement 1 has no valid Effect/);
    });

    it('every bucket call denied (a bucket in another account): UNKNOWN, never FAIL or PASS', () => {
      const record: BucketRecord = {
        Name: BUCKET,
        location: denied('s3:GetBucketLocation'),
        acl: denied('s3:GetBucketAcl'),
        policy: denied('s3:GetBucketPolicy'),
        publicAccessBlock: denied('s3:GetPublicAccessBlock'),
        policyStatus: denied('s3:GetBucketPolicyStatus'),
      };
      const v = verdict(
        snapshot({
          trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
          buckets: [record],
          accountPublicAccessBlock: noBlock('s3control:GetPublicAccessBlock'),
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.deepEqual(v.remediation?.permissions, [
        's3:GetBucketAcl',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
      ]);
    });

    it('the snapshot holds no bucket evidence (collected for other controls)', () => {
      const v = verdict(
        snapshot({
          trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
          collected: ['cloudtrail.trails'],
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.match(
        v.text,
        /the snapshot does not include s3:GetBucketAcl, s3:GetBucketPolicy, s3:GetPublicAccessBlock/,
      );
    });

    it('the bucket no longer exists', () => {
      const v = verdict(
        snapshot({
          trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
          buckets: [{ Name: BUCKET, location: failed('s3:GetBucketLocation', 'not-found', 'NoSuchBucket') }],
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /does not exist \(NoSuchBucket\)/);
    });
  });

  describe('which buckets', () => {
    it('a bucket shared by two trails is one finding naming both', () => {
      const snap = bucketSnapshot({ grants: [OWNER, group(ALL_USERS)] });
      snap.cloudtrail.trails.push(
        trail({ Name: 'Second', S3BucketName: BUCKET, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
      );
      const v = verdict(snap);
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /\(the log bucket of trail Main and Second\)/);
    });

    it('the bucket of an organization trail owned by another account is not assessed here', () => {
      const org = trail({
        Name: 'OrgTrail',
        owner: '999999999999',
        IsOrganizationTrail: true,
        S3BucketName: 'org-archive',
      });
      assert.deepEqual(control.evaluate(new SnapshotView(snapshot({ trails: [org] }))), []);
    });

    it('zero trails: no finding', () => {
      const findings = control.evaluate(new SnapshotView(snapshot({ trails: [] })));
      assert.deepEqual(findings, []);
      assert.equal(
        plain(texts.meaning({ status: 'NOT_APPLICABLE', findings })),
        'There is no trail bucket in this account to check.',
      );
    });

    it('a Region whose trails could not be listed gives one UNKNOWN finding besides the buckets it could see', () => {
      const findings = control.evaluate(
        new SnapshotView(
          bucketSnapshot(
            {},
            { failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') } },
          ),
        ),
      );
      assert.deepEqual(
        findings.map((f) => [f.status, f.resource.name]),
        [
          ['PASS', BUCKET],
          ['UNKNOWN', 'trails in Region eu-west-1'],
        ],
      );
    });
  });
});

describe('CloudTrail.6 fix keeps what is not public', () => {
  it('removes only the public ACL grants, keeping the LogDelivery group that access logging relies on', async () => {
    const { aclWithoutPublicGrants } = await import('./control.js');
    const kept = aclWithoutPublicGrants({
      Owner: { ID: 'owner-id', DisplayName: 'me' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
          Permission: 'WRITE',
        },
      ],
    });
    assert.deepEqual(JSON.parse(kept ?? '{}'), {
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner-id' }, Permission: 'FULL_CONTROL' },
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
          Permission: 'WRITE',
        },
      ],
      Owner: { ID: 'owner-id' },
    });
    assert.equal(
      aclWithoutPublicGrants({ Grants: [] }),
      undefined,
      'without the owner, fall back to a private ACL',
    );
  });
});
