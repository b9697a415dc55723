/**
 * Judging an organization as one system: the management account's organization trails cover every member,
 * so a member's coverage controls count them (with the evidence read where the trail lives), while their
 * own settings are judged once, in the owner's assessment. An account that could not be read is UNKNOWN on
 * every control, with the reason and what to grant.
 */
import { causeOfFailure } from '../aws/errors.js';
import { accountOfArn, parseLogGroupArn } from '../core/arn.js';
import { code, rich } from '../core/rich.js';
import type { ControlDefinition, Finding } from '../controls/types.js';
import type { Framework } from '../frameworks/index.js';
import type { CallFailure, Monitoring, Snapshot, TrailRecord } from '../snapshot/schema.js';
import type { OrganizationAccount, OrganizationInfo } from '../snapshot/organization.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Assessment } from './assess.js';

/** What every member is judged against: the organization and its trails, read in the management account. */
export interface OrganizationContext {
  organization: OrganizationInfo;
  /** Organization trails owned by the management account, with the evidence read there. */
  trails: TrailRecord[];
  /**
   * The CloudWatch chain behind those trails' log groups (they live in the management account), read
   * there: a member's monitoring checks are judged on it. Absent when not collected.
   */
  monitoring?: Monitoring;
  /** Set when the management account could not be read: members are judged on their own trails only. */
  unreadable?: string;
}

/** The part of the management account's chain that its organization trails deliver to, marked as its. */
function organizationChain(management: Snapshot, trails: readonly TrailRecord[]): Monitoring | undefined {
  const own = management.monitoring;
  if (!own) return undefined;
  const account = management.account.Account;
  const arns = new Set(
    trails.flatMap((t) => {
      const arn = t.config.CloudWatchLogsLogGroupArn;
      return arn && parseLogGroupArn(arn)?.account === account ? [arn] : [];
    }),
  );
  const logGroups = own.logGroups.filter((g) => arns.has(g.LogGroupArn));
  if (logGroups.length === 0) return undefined;
  const regions = new Set(logGroups.map((g) => g.Region));
  const alarms = own.alarms
    .filter((a) => regions.has(a.region))
    .map((a) => ({ ...a, account: a.account ?? account }));
  const notified = new Set(
    alarms.flatMap((a) =>
      a.result.ok ? a.result.value.MetricAlarms.flatMap((m) => m.AlarmActions ?? []) : [],
    ),
  );
  const topics = own.topics.filter((t) => notified.has(t.TopicArn));
  return { logGroups, alarms, topics };
}

/** The organization trails among a management account's evidence. */
export function organizationContext(
  organization: OrganizationInfo,
  management: Snapshot | { unreadable: string },
): OrganizationContext {
  if ('unreadable' in management) return { organization, trails: [], unreadable: management.unreadable };
  const trails = management.cloudtrail.trails.filter(
    (t) =>
      t.config.IsOrganizationTrail === true &&
      accountOfArn(t.config.TrailARN) === organization.MasterAccountId,
  );
  const monitoring = organizationChain(management, trails);
  return { organization, trails, ...(monitoring ? { monitoring } : {}) };
}

/**
 * A member's evidence with the organization's trails in it. A member lists an organization trail itself
 * on AWS; the owner's record is used either way, since only the owner can read all of its settings. The
 * member's snapshot is not changed.
 */
export function withOrganizationTrails(member: Snapshot, context: OrganizationContext): Snapshot {
  if (member.account.Account === context.organization.MasterAccountId) return member;
  const notes = [...member.notes];
  if (context.unreadable !== undefined) {
    notes.push(
      `The management account ${context.organization.MasterAccountId} could not be read (${context.unreadable}), so organization trails are not counted here; a member listing one still counts it.`,
    );
    return { ...member, notes };
  }
  if (context.trails.length === 0) return member;
  const listed = new Set(member.cloudtrail.discovery.filter((d) => d.result.ok).map((d) => d.region));
  const trails = member.cloudtrail.trails.filter(
    (t) => !context.trails.some((o) => o.config.TrailARN === t.config.TrailARN),
  );
  for (const trail of context.trails) {
    const seen = member.cloudtrail.trails.find((t) => t.config.TrailARN === trail.config.TrailARN);
    const seenIn =
      seen?.seenIn ??
      [...listed].filter((r) => trail.config.IsMultiRegionTrail === true || r === trail.config.HomeRegion);
    trails.push({ ...trail, seenIn });
  }
  const monitoring = withOrganizationChain(member.monitoring, context.monitoring);
  return {
    ...member,
    cloudtrail: { ...member.cloudtrail, trails },
    ...(monitoring ? { monitoring } : {}),
    notes,
  };
}

/**
 * A member's chain with the organization trails' chain beside it, when the member's monitoring was
 * collected at all (a member not asked for it stays without, so its checks stay UNKNOWN). A record the
 * member holds itself (the same log group or topic ARN) is kept as the member read it.
 */
function withOrganizationChain(
  own: Monitoring | undefined,
  organization: Monitoring | undefined,
): Monitoring | undefined {
  if (!own || !organization) return own;
  const groups = new Set(own.logGroups.map((g) => g.LogGroupArn));
  const topics = new Set(own.topics.map((t) => t.TopicArn));
  return {
    logGroups: [...own.logGroups, ...organization.logGroups.filter((g) => !groups.has(g.LogGroupArn))],
    alarms: [...own.alarms, ...organization.alarms],
    topics: [...own.topics, ...organization.topics.filter((t) => !topics.has(t.TopicArn))],
  };
}

/** Why an account has no evidence, as the reports tell it. */
export interface AccountGap {
  account: OrganizationAccount;
  stage: 'suspended' | 'assume-role' | 'collect';
  reason: string;
  failure?: CallFailure;
}

/**
 * The assessment of an account trailcheck could not read: every selected control UNKNOWN, each with the
 * reason and (for a role that could not be assumed) the permission to grant. Never PASS.
 */
export function unreadableAssessment(
  gap: AccountGap,
  controls: readonly ControlDefinition[],
  context: { partition: string; regions: string[]; controlRegion: string; at: string; framework?: Framework },
): Assessment {
  const id = gap.account.Id;
  const evidence = gap.failure
    ? [
        {
          source: gap.failure.operation,
          region: gap.failure.region,
          error: {
            kind: gap.failure.kind,
            code: gap.failure.code,
            message: gap.failure.message,
            ...(gap.failure.permission ? { permission: gap.failure.permission } : {}),
          },
        },
      ]
    : [
        {
          source: 'organizations:ListAccounts',
          region: context.controlRegion,
          facts: { Id: id, Status: gap.account.Status },
        },
      ];
  const cause = gap.failure ? causeOfFailure(gap.failure.kind) : 'other';
  const results = controls.map((control) => {
    const finding: Finding = {
      control: control.id,
      status: 'UNKNOWN',
      severity: control.severity,
      title: control.title,
      message: rich`Not assessed: ${gap.reason}`,
      resource: { type: 'AwsAccount', id, name: gap.account.Name, region: 'global' },
      evidence,
      remediation: {
        summary: [
          ...(gap.stage === 'assume-role'
            ? rich`Let the scan into account ${code(id)}: create the audit role there (or fix its trust policy), then scan again.`
            : gap.stage === 'suspended'
              ? rich`Account ${code(id)} is ${gap.account.Status.toLowerCase()}: nothing to do unless it is reinstated.`
              : rich`Scan account ${code(id)} again once the cause is fixed.`),
        ],
        cli: [],
        console: [],
        ...(gap.failure?.permission ? { permissions: [gap.failure.permission] } : {}),
        causes: [cause],
      },
      account: id,
    };
    return { control, status: 'UNKNOWN' as const, findings: [finding] };
  });
  const findings = results.flatMap((r) => r.findings);
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    account: { id, partition: context.partition, arn: `arn:${context.partition}:iam::${id}:root` },
    controlRegion: context.controlRegion,
    regions: context.regions,
    startedAt: context.at,
    finishedAt: context.at,
    results,
    findings,
    summary: { PASS: 0, FAIL: 0, UNKNOWN: findings.length, total: findings.length },
    notes: [gap.reason],
    stats: { durationMs: 0, apiCalls: [] },
    framework: context.framework,
    controls,
    judged: findings,
  };
}

/**
 * In a member, a failed coverage control (CloudTrail.1, .3, the S3 object-level controls) that the
 * organization's trails would pass once fixed is fixed on those trails, in the management account's plan:
 * the member's next step says so, instead of a trail of its own (a second, charged copy of its events).
 */
export function deferToOrganizationTrails(assessment: Assessment, context: OrganizationContext): Assessment {
  const management = context.organization.MasterAccountId;
  const [first] = context.trails;
  if (assessment.account.id === management || first === undefined) return assessment;
  const names = context.trails.map((t) => t.config.Name).join(', ');
  const swapped = new Map<Finding, Finding>();
  for (const result of assessment.results) {
    if (result.control.scope !== 'trails') continue;
    for (const finding of result.findings) {
      if (finding.status !== 'FAIL') continue;
      const { proposal: _own, ...rest } = finding;
      void _own;
      swapped.set(finding, {
        ...rest,
        remediation: {
          summary: rich`Fix it on the organization trail (${names}) in the management account ${code(management)}: that account's plan has the step, and it closes this finding in every member. A trail of this account's own would also close it, at the cost of a second copy of its events.`,
          cli: [],
          console: [
            `Sign in to the management account ${management} and fix organization trail ${first.config.Name} there (trailcheck plan --org shows the step).`,
          ],
        },
      });
    }
  }
  if (swapped.size === 0) return assessment;
  const swap = (f: Finding) => swapped.get(f) ?? f;
  return {
    ...assessment,
    results: assessment.results.map((r) => ({ ...r, findings: r.findings.map(swap) })),
    findings: assessment.findings.map(swap),
    judged: assessment.judged.map(swap),
  };
}

/**
 * What a member's plan leaves to the management account's: with organization trails present, every
 * coverage control (`trails` scope) is fixed on them, not by the member. Undefined where nothing is.
 */
export function deferredToManagement(
  accountId: string,
  context: OrganizationContext,
  controls: readonly ControlDefinition[],
): ((finding: Finding) => boolean) | undefined {
  if (accountId === context.organization.MasterAccountId || context.trails.length === 0) return undefined;
  const coverage = new Set(controls.filter((c) => c.scope === 'trails').map((c) => c.id));
  return (finding) => coverage.has(finding.control);
}
