import { describeMissing, missingFromFailure, observationEvidence } from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import { isPublicGrant, parsePolicy } from '../../evaluate/policy.js';
import type { PolicyStatement, Tri } from '../../evaluate/policy.js';
import { code, joinRich, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import type { SnapshotView } from '../../evaluate/view.js';
import type { ApiCall, Json } from '../../fixes/calls.js';
import { apiCall, blockPublicAccessCall } from '../../fixes/builders.js';
import type { BucketAcl, Grant, PublicAccessBlock } from '../../snapshot/schema.js';
import { assessTrailBuckets, bucketFact } from '../bucket-context.js';
import type { TrailBucket } from '../bucket-context.js';
import { makeFinding, settleUnknown } from '../shared.js';
import type { ControlDefinition, FixProposal } from '../types.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers (everyone)',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers':
    'AuthenticatedUsers (anyone with an AWS account)',
};

/** A Block Public Access setting in force: true at bucket or account level wins; unknown if either is unread. */
function blockSetting(
  bucket: PublicAccessBlock | undefined,
  account: PublicAccessBlock | undefined,
  setting: 'IgnorePublicAcls' | 'RestrictPublicBuckets',
): Tri {
  if (bucket?.[setting] === true || account?.[setting] === true) return 'yes';
  return bucket !== undefined && account !== undefined ? 'no' : 'unknown';
}

/** Exposure through one channel: known public content, unless Block Public Access neutralises it. */
function exposure(publicContent: Tri, neutralised: Tri): Tri {
  if (publicContent === 'no' || neutralised === 'yes') return 'no';
  if (publicContent === 'yes' && neutralised === 'no') return 'yes';
  return 'unknown';
}

function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.sid ? `'${statement.sid}'` : `number ${index + 1}`;
}

/**
 * The bucket ACL without its public grants, every other grant kept: resetting to "private" would also
 * drop grants such as the LogDelivery group's that other buckets' access logging relies on.
 */
export function aclWithoutPublicGrants(acl: BucketAcl): string | undefined {
  if (!acl.Owner?.ID) return undefined;
  const grants = acl.Grants.filter((g) => PUBLIC_GROUPS[g.Grantee?.URI ?? ''] === undefined).map((g) => {
    // DisplayName is output only; S3 refuses it in a request.
    const { DisplayName: _name, ...grantee } = g.Grantee ?? {};
    return { Grantee: grantee, Permission: g.Permission };
  });
  return JSON.stringify({ Grants: grants, Owner: { ID: acl.Owner.ID } });
}

function makePrivate(
  view: SnapshotView,
  bucket: TrailBucket,
  publicAcl: BucketAcl | undefined,
  policyText: string | undefined,
  publicStatements: PolicyStatement[],
): FixProposal {
  const { name, region } = bucket;
  const owner = { ExpectedBucketOwner: view.accountId };
  // Policy and ACL first, Block Public Access last: undone in reverse, the old public policy and grants go
  // back before Block Public Access is lifted again, which S3 would otherwise refuse.
  const calls: ApiCall[] = [];
  const steps: RichText[] = [rich`turn on Block Public Access for ${code(name)}`];
  const notes: string[] = [];
  if (policyText !== undefined && publicStatements.length > 0) {
    // parsePolicy keeps statement order, so raw statement i is parsed statement i.
    const document = JSON.parse(policyText) as { Statement?: unknown };
    const all = Array.isArray(document.Statement) ? (document.Statement as unknown[]) : [document.Statement];
    const parsed = parsePolicy(policyText);
    const removed: string[] = [];
    const keep = all.filter((_, index) => {
      const statement = parsed.ok ? parsed.statements[index] : undefined;
      const isPublic = statement !== undefined && isPublicGrant(statement);
      if (isPublic) removed.push(statementLabel(statement, index));
      return !isPublic;
    });
    calls.push(
      keep.length > 0
        ? apiCall('s3', 'PutBucketPolicy', region, {
            Bucket: name,
            Policy: JSON.stringify({ ...document, Statement: keep }),
            ...owner,
          })
        : apiCall('s3', 'DeleteBucketPolicy', region, { Bucket: name, ...owner }),
    );
    steps.push(rich`remove the public policy statements`);
    notes.push(
      `Removes policy statement ${removed.join(', ')} of bucket ${name}, which let anyone in: the one change trailcheck makes that takes access away, and it is the fix. Every other statement stays as it is.`,
    );
  }
  if (publicAcl) {
    const kept = aclWithoutPublicGrants(publicAcl);
    calls.push(
      apiCall(
        's3',
        'PutBucketAcl',
        region,
        kept !== undefined
          ? { Bucket: name, AccessControlPolicy: JSON.parse(kept) as Json, ...owner }
          : { Bucket: name, ACL: 'private', ...owner },
      ),
    );
    steps.push(kept !== undefined ? rich`remove the public ACL grants` : rich`reset its ACL to private`);
  }
  calls.push(blockPublicAccessCall(view, name, region));
  return {
    summary: rich`${joinRich(steps, ', ')}.`,
    calls,
    console: [
      `Open the S3 console, choose bucket ${name}, then Permissions.`,
      'Under Block public access (bucket settings), choose Edit, select Block all public access, and save.',
      'Check the Access control list and the Bucket policy for grants to Everyone or Authenticated users and remove them.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
  };
}

export const control: ControlDefinition = {
  id: 'CloudTrail.6',
  frameworks: listedAs({ securityhub: 'CloudTrail.6', cis12: '2.3', cis14: '3.3' }),
  title: 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible',
  severity: 'critical',
  resourceType: 'AwsS3Bucket',
  scope: 'bucket',
  needs: [
    { kind: 'cloudtrail.trails' },
    { kind: 's3.bucketAcl' },
    { kind: 's3.bucketPolicy' },
    { kind: 's3.bucketPublicAccessBlock' },
    { kind: 's3.bucketPolicyStatus' },
    { kind: 's3.accountPublicAccessBlock' },
  ],
  texts,
  fixPermissions: {
    calls: [
      ['s3', 'PutBucketPolicy'],
      ['s3', 'PutBucketAcl'],
      ['s3', 'PutPublicAccessBlock'],
      // undo
      ['s3', 'DeleteBucketPolicy'],
      ['s3', 'DeletePublicAccessBlock'],
    ],
  },
  evaluate(view) {
    const accountObservation = view.snapshot.s3.accountPublicAccessBlock;
    return assessTrailBuckets(view, control, 'public access', (bucket: TrailBucket) => {
      const record = bucket.record;
      const acl = bucketFact(view, bucket, 's3.bucketAcl', record?.acl, 's3:GetBucketAcl', (a) => ({
        Grants: a.Grants,
      }));
      const policy = bucketFact(
        view,
        bucket,
        's3.bucketPolicy',
        record?.policy,
        's3:GetBucketPolicy',
        (p) => ({ Policy: p.Policy ?? null }),
      );
      const block = bucketFact(
        view,
        bucket,
        's3.bucketPublicAccessBlock',
        record?.publicAccessBlock,
        's3:GetPublicAccessBlock',
        (b) => ({ ...b }),
      );
      const status = bucketFact(
        view,
        bucket,
        's3.bucketPolicyStatus',
        record?.policyStatus,
        's3:GetBucketPolicyStatus',
        (s) => ({
          IsPublic: s.IsPublic ?? null,
        }),
      );
      if (accountObservation) {
        bucket.evidence.push({
          ...observationEvidence(accountObservation, (b) => ({ ...b })),
          source: 's3control:GetPublicAccessBlock',
        });
      }
      const account = accountObservation?.ok ? accountObservation.value : undefined;
      const missing: MissingFact[] = [acl, policy, block].flatMap((f) => (f.missing ? [f.missing] : []));
      if (!accountObservation?.ok) {
        missing.push(
          accountObservation
            ? missingFromFailure(accountObservation.failure)
            : { reason: 'the account-level Block Public Access settings were not collected' },
        );
      }

      const publicGrants: Grant[] | undefined = acl.value?.Grants.filter(
        (g) => PUBLIC_GROUPS[g.Grantee?.URI ?? ''] !== undefined,
      );
      const parsed = policy.value
        ? policy.value.Policy
          ? parsePolicy(policy.value.Policy)
          : { ok: true as const, statements: [] }
        : undefined;
      if (parsed && !parsed.ok) missing.push({ reason: `the bucket policy cannot be read: ${parsed.error}` });
      const publicStatements = parsed?.ok ? parsed.statements.filter(isPublicGrant) : [];
      const awsSaysPublic = status.value?.IsPublic === true;
      // S3's own verdict on the policy overrides ours when it says public; without it, a policy that
      // looks private to us is not enough for a PASS (found by the fault matrix).
      const policyUnconfirmed =
        parsed?.ok === true &&
        parsed.statements.length > 0 &&
        publicStatements.length === 0 &&
        status.missing;
      if (policyUnconfirmed && status.missing) missing.push(status.missing);

      const aclPublic: Tri = publicGrants === undefined ? 'unknown' : publicGrants.length > 0 ? 'yes' : 'no';
      // S3's own verdict stands even when trailcheck cannot read the policy itself.
      const policyPublic: Tri =
        awsSaysPublic || publicStatements.length > 0
          ? 'yes'
          : parsed === undefined || !parsed.ok || policyUnconfirmed
            ? 'unknown'
            : 'no';
      const ignoreAcls = blockSetting(block.value, account, 'IgnorePublicAcls');
      const restrict = blockSetting(block.value, account, 'RestrictPublicBuckets');
      const viaAcl = exposure(aclPublic, ignoreAcls);
      const viaPolicy = exposure(policyPublic, restrict);
      const { name, usedBy, resource, evidence } = bucket;

      if (viaAcl === 'yes' || viaPolicy === 'yes') {
        const reasons: RichText[] = [];
        if (viaAcl === 'yes') {
          for (const grant of publicGrants ?? []) {
            reasons.push(
              rich`its ACL grants ${grant.Permission ?? 'access'} to ${PUBLIC_GROUPS[grant.Grantee?.URI ?? ''] ?? 'the public'}`,
            );
          }
        }
        if (viaPolicy === 'yes') {
          const statements = parsed?.ok ? parsed.statements : [];
          statements.forEach((statement, index) => {
            if (!isPublicGrant(statement)) return;
            const actions = statement.notActions
              ? `every action except ${statement.notActions.join(', ')}`
              : statement.actions.join(', ');
            reasons.push(
              rich`policy statement ${statementLabel(statement, index)} allows anyone ${actions} with no limiting condition`,
            );
          });
          if (awsSaysPublic && publicStatements.length === 0)
            reasons.push(rich`S3 itself reports the bucket policy as public (GetBucketPolicyStatus)`);
        }
        return makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`Bucket ${code(name)} ${usedBy} is publicly accessible: ${joinRich(reasons, '; ')}, and Block Public Access does not stop it.`,
          evidence,
          proposal: makePrivate(
            view,
            bucket,
            viaAcl === 'yes' ? acl.value : undefined,
            policy.value?.Policy,
            publicStatements,
          ),
        });
      }
      if (viaAcl === 'unknown' || viaPolicy === 'unknown') {
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`Whether bucket ${code(name)} ${usedBy} is public could not be determined: ${describeMissing(missing)}.`,
          evidence,
          remediation: settleUnknown(missing, rich`bucket ${code(name)}`),
        });
      }
      const why: RichText[] = [];
      if (aclPublic === 'yes') why.push(rich`Block Public Access ignores its public ACL grants`);
      if (policyPublic === 'yes') why.push(rich`Block Public Access restricts its public policy`);
      if (why.length === 0) why.push(rich`no ACL grant or policy statement opens it to the public`);
      return makeFinding(control, {
        status: 'PASS',
        resource,
        message: rich`Bucket ${code(name)} ${usedBy} is not publicly accessible: ${joinRich(why, '; ')}.`,
        evidence,
      });
    });
  },
};
