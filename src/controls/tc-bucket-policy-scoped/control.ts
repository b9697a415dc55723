import type { MissingFact } from '../../evaluate/evidence.js';
import {
  CLOUDTRAIL_ABSENT_KEYS,
  CLOUDTRAIL_REQUEST_CONTEXT,
  coversAction,
  coversServicePrincipal,
  decideServiceRequest,
  evaluateConditions,
  parsePolicy,
  wildcardMatch,
} from '../../evaluate/policy.js';
import type { PolicyCondition, PolicyStatement } from '../../evaluate/policy.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, joinRich, nameList, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import { cloudTrailBucketPolicy } from '../../fixes/policies.js';
import { apiCall } from '../../fixes/builders.js';
import { awsCli } from '../../fixes/shell.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import { assessTrailBuckets, bucketFact, unknownBucketFinding } from '../bucket-context.js';
import type { TrailBucket } from '../bucket-context.js';
import { makeFinding, settleUnknown } from '../shared.js';
import type { ControlDefinition, FixProposal, Remediation } from '../types.js';
import { texts } from './texts.js';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const SCOPING_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);

/** Where CloudTrail writes a log file of this trail (any date, any file name matches the same policies). */
export function logObjectArn(partition: string, bucket: string, trail: TrailRecord, account: string): string {
  const prefix = trail.config.S3KeyPrefix ? `${trail.config.S3KeyPrefix}/` : '';
  const region = trail.config.HomeRegion;
  return `arn:${partition}:s3:::${bucket}/${prefix}AWSLogs/${account}/CloudTrail/${region}/2026/01/01/${account}_CloudTrail_${region}_20260101T0000Z_example.json.gz`;
}

/** A condition that pins the writing trail to one account: a fixed aws:SourceAccount, or an aws:SourceArn whose account is fixed. */
export function scopesSource(condition: PolicyCondition): boolean {
  if (condition.ifExists || condition.qualifier !== undefined || !SCOPING_OPERATORS.has(condition.base))
    return false;
  const key = condition.key.toLowerCase();
  if (condition.values.length === 0) return false;
  if (key === 'aws:sourceaccount') return condition.values.every((v) => /^\d{12}$/.test(v));
  if (key === 'aws:sourcearn') return condition.values.every((v) => /^\d{12}$/.test(v.split(':')[4] ?? ''));
  return false;
}

/** What every CloudTrail log delivery carries, whichever trail and account it is for. */
const DELIVERY_CONTEXT: Readonly<Record<string, string>> = {
  's3:x-amz-acl': 'bucket-owner-full-control',
  ...CLOUDTRAIL_REQUEST_CONTEXT,
};

/** Keys a CloudTrail delivery never carries (see CLOUDTRAIL_ABSENT_KEYS). */
const ABSENT_FROM_DELIVERY = CLOUDTRAIL_ABSENT_KEYS;

/** An Allow for every CloudTrail delivery, to tell which Deny statements refuse one on their own. */
const ALLOW_ANY_DELIVERY: readonly PolicyStatement[] = (() => {
  const parsed = parsePolicy(
    JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { Service: CLOUDTRAIL }, Action: 's3:PutObject', Resource: '*' },
      ],
    }),
  );
  return parsed.ok ? parsed.statements : [];
})();

/** The request CloudTrail makes to deliver one trail's log file. */
function deliveryContext(trail: TrailRecord, account: string): Record<string, string> {
  return { ...DELIVERY_CONTEXT, 'aws:SourceArn': trail.config.TrailARN, 'aws:SourceAccount': account };
}

const SOURCE_KEYS = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner']);

/**
 * Could the statement's conditions hold for some trail's delivery? Conditions on the source (which trail,
 * which account) are left out: they are what scoping is about. A grant limited to an organization's
 * principals or a VPC endpoint can never be used by CloudTrail, so it is no CloudTrail grant.
 */
function usableByDelivery(statement: PolicyStatement): boolean {
  const others = statement.conditions.filter((c) => !SOURCE_KEYS.has(c.key.toLowerCase()));
  const known = new Set(
    [...ABSENT_FROM_DELIVERY, ...Object.keys(DELIVERY_CONTEXT)].map((k) => k.toLowerCase()),
  );
  return evaluateConditions({ ...statement, conditions: others }, DELIVERY_CONTEXT, known) !== 'no';
}

/** Allow statements that may let CloudTrail write objects into this bucket. */
function cloudTrailWriteGrants(
  statements: readonly PolicyStatement[],
  partition: string,
  bucket: string,
): PolicyStatement[] {
  const objects = `arn:${partition}:s3:::${bucket}/AWSLogs/x`;
  return statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      coversServicePrincipal(s, CLOUDTRAIL) !== 'no' &&
      coversAction(s, 's3:PutObject') &&
      (s.notResources !== undefined ||
        s.resources.some(
          (r) => wildcardMatch(r, objects) || r.startsWith(`arn:${partition}:s3:::${bucket}/`),
        )) &&
      usableByDelivery(s),
  );
}

function labelOf(statement: PolicyStatement, index: number): string {
  return statement.sid ? `'${statement.sid}'` : `number ${index + 1}`;
}

/**
 * The Principal of a statement that names CloudTrail among other principals, without CloudTrail; undefined
 * when CloudTrail is the only one named, or when the principal is everyone ("*").
 */
function withoutCloudTrail(principal: unknown): Record<string, unknown> | undefined {
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return undefined;
  const entries = Object.entries(principal as Record<string, unknown>);
  const rest: Record<string, unknown> = {};
  let named = false;
  for (const [kind, value] of entries) {
    if (kind !== 'Service') {
      rest[kind] = value;
      continue;
    }
    const services = (Array.isArray(value) ? value : [value]).filter((v) => {
      const isCloudTrail = v === CLOUDTRAIL;
      named ||= isCloudTrail;
      return !isCloudTrail;
    });
    if (services.length > 0) rest.Service = services.length === 1 ? services[0] : services;
  }
  return named && Object.keys(rest).length > 0 ? rest : undefined;
}

/** The policy with every CloudTrail write grant pinned to the bucket's trails, and grants added where missing. */
function scopedPolicy(
  view: SnapshotView,
  bucket: TrailBucket,
  policyText: string | undefined,
  unwritable: TrailRecord[],
): string {
  const trailArns = bucket.trails.map((t) => t.config.TrailARN);
  const document = (policyText ? JSON.parse(policyText) : { Version: '2012-10-17', Statement: [] }) as {
    Statement?: unknown;
    [key: string]: unknown;
  };
  const raw = Array.isArray(document.Statement)
    ? (document.Statement as Array<Record<string, unknown>>)
    : document.Statement
      ? [document.Statement as Record<string, unknown>]
      : [];
  const parsed = policyText ? parsePolicy(policyText) : { ok: true as const, statements: [] };
  const grants = parsed.ok
    ? new Set(cloudTrailWriteGrants(parsed.statements, view.partition, bucket.name))
    : new Set<PolicyStatement>();
  const statements = raw.flatMap((statement, index) => {
    const parsedStatement = parsed.ok ? parsed.statements[index] : undefined;
    if (!parsedStatement || !grants.has(parsedStatement) || parsedStatement.conditions.some(scopesSource))
      return [statement];
    const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const scoped = {
      ...statement,
      Condition: {
        ...condition,
        StringEquals: { ...(condition.StringEquals ?? {}), 'aws:SourceArn': trailArns },
      },
    };
    // A grant CloudTrail shares with other principals (AWS Config…) keeps theirs as it was: the trail
    // condition goes on a copy for CloudTrail alone, or the others could no longer write.
    const others = withoutCloudTrail(statement.Principal);
    if (others === undefined) return [scoped];
    const sid = typeof statement.Sid === 'string' ? { Sid: `${statement.Sid}CloudTrail` } : {};
    return [
      { ...statement, Principal: others },
      { ...scoped, ...sid, Principal: { Service: CLOUDTRAIL } },
    ];
  });
  // S3 refuses a policy whose statement ids repeat: trail names that differ only in punctuation would.
  const sids = new Set(statements.flatMap((st) => (typeof st.Sid === 'string' ? [st.Sid] : [])));
  const uniqueSid = (wanted: string) => {
    let sid = wanted;
    for (let n = 2; sids.has(sid); n++) sid = `${wanted}x${n}`;
    sids.add(sid);
    return sid;
  };
  for (const trail of unwritable) {
    const template = JSON.parse(
      cloudTrailBucketPolicy(view.partition, view.accountId, bucket.name, trail.config.TrailARN),
    ) as {
      Statement: Array<Record<string, unknown>>;
    };
    const prefix = trail.config.S3KeyPrefix ? `${trail.config.S3KeyPrefix}/` : '';
    statements.push(
      ...template.Statement.map((s, i) => ({
        ...s,
        Sid: uniqueSid(`${String(s.Sid)}${trail.config.Name.replace(/[^A-Za-z0-9]/g, '')}${i}`),
        ...(s.Action === 's3:PutObject'
          ? { Resource: `arn:${view.partition}:s3:::${bucket.name}/${prefix}AWSLogs/${view.accountId}/*` }
          : {}),
      })),
    );
  }
  return JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: statements });
}

/** A trail whose delivery an explicit Deny refuses, and the statements that do it. */
interface BlockedTrail {
  trail: TrailRecord;
  statements: string[];
}

function fix(
  view: SnapshotView,
  bucket: TrailBucket,
  policyText: string | undefined,
  unwritable: TrailRecord[],
  unscoped: boolean,
  blocked: BlockedTrail[] = [],
): { proposal: FixProposal } | { remediation: Remediation } {
  const steps: RichText[] = [];
  if (unwritable.length > 0)
    steps.push(rich`let trail ${nameList(unwritable.map((t) => t.config.Name))} write its logs`);
  if (unscoped)
    steps.push(
      rich`limit every CloudTrail write grant to trail ${nameList(bucket.trails.map((t) => t.config.Name))} with aws:SourceArn`,
    );
  for (const { trail, statements } of blocked)
    steps.push(
      rich`change statement ${statements.join(', ')} so that it no longer denies trail ${code(trail.config.Name)} its writes`,
    );
  const console = [
    `Open the S3 console, choose bucket ${bucket.name}, then Permissions, Bucket policy, Edit.`,
  ];
  if (unwritable.length > 0 || unscoped)
    console.push(
      `Add a condition "StringEquals": {"aws:SourceArn": [the trail ARNs]} to each statement that allows cloudtrail.amazonaws.com to s3:PutObject, then save.`,
    );
  for (const { trail, statements } of blocked)
    console.push(
      `Narrow the Deny statement ${statements.join(', ')} so that it does not apply to CloudTrail delivering the logs of trail ${trail.config.Name} (for example, add "BoolIfExists": {"aws:PrincipalIsAWSService": "false"} to its Condition), then save.`,
    );
  const summary = rich`Update the policy of bucket ${code(bucket.name)} to ${joinRich(steps, ' and ')}.`;
  // An explicit Deny beats any Allow, and rewriting someone's Deny blind could open the bucket: that
  // part is left to the console steps, and the whole fix with it.
  if (blocked.length === 0) {
    return {
      proposal: {
        summary,
        calls: [
          apiCall('s3', 'PutBucketPolicy', bucket.region, {
            Bucket: bucket.name,
            Policy: scopedPolicy(view, bucket, policyText, unwritable),
            ExpectedBucketOwner: view.accountId,
          }),
        ],
        console,
      },
    };
  }
  return {
    remediation: {
      summary,
      cli:
        unwritable.length > 0 || unscoped
          ? [
              awsCli('s3api', 'put-bucket-policy', {
                region: bucket.region,
                bucket: bucket.name,
                policy: scopedPolicy(view, bucket, policyText, unwritable),
                'expected-bucket-owner': view.accountId,
              }),
            ]
          : [],
      console,
    },
  };
}

export const control: ControlDefinition = {
  id: 'TC.BucketPolicyScoped',
  title: 'The CloudTrail bucket policy should let only the account’s own trails write',
  severity: 'medium',
  resourceType: 'AwsS3Bucket',
  scope: 'bucket',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 's3.bucketPolicy' }],
  texts,
  fixPermissions: {
    calls: [
      ['s3', 'PutBucketPolicy'],
      // undo
      ['s3', 'DeleteBucketPolicy'],
    ],
  },
  evaluate(view) {
    return assessTrailBuckets(view, control, 'bucket policy', (bucket) => {
      const policy = bucketFact(
        view,
        bucket,
        's3.bucketPolicy',
        bucket.record?.policy,
        's3:GetBucketPolicy',
        (p) => ({
          Policy: p.Policy ?? null,
        }),
      );
      if (policy.missing) return unknownBucketFinding(control, bucket, 'bucket policy', [policy.missing]);
      const { name, usedBy, resource, evidence } = bucket;
      const text = policy.value.Policy;
      if (!text) {
        return makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`Bucket ${code(name)} ${usedBy} has no bucket policy, so CloudTrail is not allowed to write log files into it.`,
          evidence,
          ...fix(view, bucket, undefined, bucket.trails, false),
        });
      }
      const parsed = parsePolicy(text);
      if (!parsed.ok) {
        const missing: MissingFact = { reason: `the bucket policy cannot be read: ${parsed.error}` };
        return unknownBucketFinding(control, bucket, 'bucket policy', [missing]);
      }
      const request = (trail: TrailRecord, statements: readonly PolicyStatement[]) =>
        decideServiceRequest(statements, {
          service: CLOUDTRAIL,
          action: 's3:PutObject',
          resource: logObjectArn(view.partition, name, trail, view.accountId),
          context: deliveryContext(trail, view.accountId),
          knownKeys: ABSENT_FROM_DELIVERY,
        });
      const allows = parsed.statements.filter((st) => st.effect === 'Allow');
      const label = (statement: PolicyStatement) => labelOf(statement, parsed.statements.indexOf(statement));
      const decisions = bucket.trails.map((trail) => {
        const allowed = request(trail, parsed.statements).allowed;
        // The Deny statements that refuse the delivery on their own, whatever the Allow statements say.
        const denies =
          allowed === 'no'
            ? parsed.statements.filter(
                (st) => st.effect === 'Deny' && request(trail, [...ALLOW_ANY_DELIVERY, st]).allowed === 'no',
              )
            : [];
        const granted = request(trail, allows).allowed !== 'no';
        return { trail, allowed, denies, granted };
      });
      const blocked: BlockedTrail[] = decisions
        .filter((d) => d.denies.length > 0)
        .map((d) => ({ trail: d.trail, statements: d.denies.map(label) }));
      // No statement allows the delivery: a grant must be added (and any Deny above narrowed too).
      const unwritable = decisions.filter((d) => d.allowed === 'no' && !d.granted).map((d) => d.trail);
      const undecided = decisions.filter((d) => d.allowed === 'unknown').map((d) => d.trail);
      const unscoped = parsed.statements
        .map((statement, index) => ({ statement, index }))
        .filter(({ statement }) =>
          cloudTrailWriteGrants(parsed.statements, view.partition, name).includes(statement),
        )
        .filter(({ statement }) => !statement.conditions.some(scopesSource));

      if (unwritable.length > 0 || unscoped.length > 0 || blocked.length > 0) {
        const problems: RichText[] = [];
        if (unwritable.length > 0) {
          problems.push(
            rich`it does not let trail ${nameList(unwritable.map((t) => t.config.Name))} write log files (deliveries are refused)`,
          );
        }
        for (const { trail, statements } of blocked) {
          problems.push(
            rich`statement ${statements.join(', ')} denies trail ${code(trail.config.Name)} its writes, so its log files are refused`,
          );
        }
        if (unscoped.length > 0) {
          problems.push(
            rich`statement ${unscoped.map(({ statement, index }) => labelOf(statement, index)).join(', ')} lets any trail of any account write here (no fixed aws:SourceArn or aws:SourceAccount)`,
          );
        }
        return makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`The policy of bucket ${code(name)} ${usedBy}: ${joinRich(problems, '; ')}.`,
          evidence,
          ...fix(view, bucket, text, unwritable, unscoped.length > 0, blocked),
        });
      }
      if (undecided.length > 0) {
        const missing: MissingFact = {
          reason: `the policy has conditions trailcheck cannot evaluate for trail ${undecided.map((t) => t.config.Name).join(', ')}`,
        };
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`Whether the policy of bucket ${code(name)} ${usedBy} lets its trails write could not be decided: ${missing.reason}.`,
          evidence,
          remediation: settleUnknown([missing], rich`the policy of bucket ${code(name)}`),
        });
      }
      return makeFinding(control, {
        status: 'PASS',
        resource,
        message:
          bucket.trails.length === 1
            ? rich`The policy of bucket ${code(name)} ${usedBy} lets that trail write its logs, and every CloudTrail write grant is limited by aws:SourceArn or aws:SourceAccount.`
            : rich`The policy of bucket ${code(name)} ${usedBy} lets those trails write their logs, and every CloudTrail write grant is limited by aws:SourceArn or aws:SourceAccount.`,
        evidence,
      });
    });
  },
};
