/**
 * The JSON report: a stable contract other tools consume (documented in the README). Its shape is a zod
 * schema, so the renderer and the published contract cannot drift apart; tests validate real output
 * against it.
 */
import { z } from 'zod';
import type { ControlResult } from '../judge/assess.js';
import type { Report } from './model.js';
import { integerResult, PRETTY_SUCCESS } from '../judge/assess.js';
import { mappingsOf } from '../controls/frameworks.js';
import { UNKNOWN_CAUSES } from '../aws/errors.js';
import { SEVERITIES, STATUSES } from '../controls/types.js';
import type { Finding } from '../controls/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { safeJsonStringify } from '../core/escape.js';
import { isOpen } from './outcome.js';
import { accountRanks } from './accounts.js';
import { plain } from '../core/rich.js';

/**
 * 2: every finding names its `account`, the report lists its `accounts` (one for a single account) and the
 * `organization` it covers (`scan --org`), and a control points to verdicts judged `elsewhere`. `diff`
 * still reads version 1 (JsonReportV1Schema).
 */
export const JSON_REPORT_VERSION = 2;

const EvidenceSchema = z.object({
  source: z.string(),
  region: z.string(),
  facts: z.record(z.string(), z.unknown()).optional(),
  error: z
    .object({ kind: z.string(), code: z.string(), message: z.string(), permission: z.string().optional() })
    .optional(),
});

const RemediationSchema = z.object({
  summary: z.string(),
  cli: z.array(z.string()),
  console: z.array(z.string()),
  permissions: z.array(z.string()).optional(),
  /** For UNKNOWN: what kept the verdict from being known (denied, no-answer, region-disabled, …). */
  causes: z.array(z.enum(UNKNOWN_CAUSES)).optional(),
  /** The same change as Terraform and as a CloudFormation template (fixes `trailcheck fix` can make). */
  terraform: z.string().optional(),
  cloudformation: z.string().optional(),
  /** Where this step comes in the action plan (1 first), as `trailcheck plan` orders it. */
  order: z.number().int().positive().optional(),
});

const JsonFindingV1Schema = z.object({
  control: z.string(),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  message: z.string(),
  resource: z.object({
    type: z.enum([
      'AwsAccount',
      'AwsCloudTrailTrail',
      'AwsS3Bucket',
      'AwsCloudTrailEventDataStore',
      'AwsKmsKey',
      'AwsEc2Vpc',
    ]),
    id: z.string(),
    name: z.string(),
    region: z.string(),
  }),
  evidence: z.array(EvidenceSchema),
  remediation: RemediationSchema.nullable(),
  /** Present when a suppression file (--ignore) accepted the finding; `status` keeps the verdict. */
  suppressed: z.object({ reason: z.string(), expires: z.string(), source: z.string() }).optional(),
});

export const JsonFindingSchema = JsonFindingV1Schema.extend({
  /** The AWS account the finding is about: a member's in an organization's report, else the report's. */
  account: z.string(),
});

const ResourceRefSchema = z.object({
  type: z.string(),
  id: z.string(),
  name: z.string(),
  region: z.string(),
});

const ControlStatusSchema = z.enum([...STATUSES, 'NOT_APPLICABLE']);

const CountsSchema = z.object({
  PASS: z.number().int(),
  FAIL: z.number().int(),
  UNKNOWN: z.number().int(),
  total: z.number().int(),
  /** Findings a suppression file accepted (counted in their status too); optional so earlier reports still validate. */
  suppressed: z.number().int().optional(),
});

/** Version 1 of the contract (before organizations): what `diff` still reads. */
const JsonControlV1Schema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  status: ControlStatusSchema,
  frameworks: z.array(z.object({ framework: z.string(), id: z.string() })),
});

export const JsonReportV1Schema = z.object({
  reportVersion: z.literal(1),
  integer_result: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  pretty_result: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  account: z.string().nullable(),
  partition: z.string().nullable(),
  regions: z.array(z.string()),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  summary: CountsSchema,
  controls: z.array(JsonControlV1Schema),
  findings: z.array(JsonFindingV1Schema),
  /** The framework chosen with --framework, whose ids `controls[].frameworks` lists. */
  framework: z.object({ id: z.string(), title: z.string() }).nullable().optional(),
  notes: z.array(z.string()),
  error: z.string().optional(),
  stats: z
    .object({
      durationMs: z.number(),
      apiCalls: z.number().int(),
      byOperation: z.array(
        z.object({
          operation: z.string(),
          region: z.string(),
          calls: z.number().int(),
          attempts: z.number().int(),
          failures: z.number().int(),
        }),
      ),
    })
    .optional(),
});

const JsonAccountSchema = z.object({
  id: z.string(),
  /** The account's name in the organization; null when not known (a single-account scan does not read it). */
  name: z.string().nullable(),
  email: z.string().optional(),
  /** false: no evidence (suspended, role not assumed, scan failed); every control is UNKNOWN there. */
  assessed: z.boolean(),
  /** Why it was not assessed. */
  reason: z.string().optional(),
  integer_result: z.union([z.literal(0), z.literal(1)]),
  summary: CountsSchema,
  controls: z.array(z.object({ id: z.string(), status: ControlStatusSchema })),
});

/** A control's verdict on a resource that another account owns and is judged in (an organization trail's). */
const ElsewhereSchema = z.object({
  resource: ResourceRefSchema,
  account: z.string(),
  trail: z.string(),
  /** The verdict there, when that account was assessed in the same run; NOT_ASSESSED when it was not. */
  status: z.enum([...STATUSES, 'NOT_ASSESSED']).optional(),
});

export const JsonReportSchema = JsonReportV1Schema.extend({
  reportVersion: z.literal(JSON_REPORT_VERSION),
  controls: z.array(JsonControlV1Schema.extend({ elsewhere: z.array(ElsewhereSchema).optional() })),
  findings: z.array(JsonFindingSchema),
  /** Every account the report covers, in account id order: one for a single account, none if it could not run. */
  accounts: z.array(JsonAccountSchema),
  /** The organization of a `scan --org` report (leftOut: accounts the filters left out), else null. */
  organization: z
    .object({ id: z.string(), managementAccount: z.string(), leftOut: z.number().int().nonnegative() })
    .nullable(),
});

export type JsonReport = z.infer<typeof JsonReportSchema>;
export type JsonReportV1 = z.infer<typeof JsonReportV1Schema>;

/** Either version of the contract, as `diff` reads it. */
export const AnyJsonReportSchema = z.discriminatedUnion('reportVersion', [
  JsonReportV1Schema,
  JsonReportSchema,
]);

/** A finding's place in the action plan (1-based), when the plan has a step for it. */
export function planOrder(report: Report, finding: Finding): number | undefined {
  return report.planOrder(finding);
}

/**
 * The open findings that have a next step, in the action plan's order (what must come first, then
 * severity, then effort), as the Markdown and HTML reports list them; in an organization's report, by
 * account (worst first), each in its own plan's order.
 */
export function actionItems(
  assessment: Report,
): Array<{ result: ControlResult; finding: Finding; order: number }> {
  // An organization's plan is one per account: the worst account's steps first, each in its plan's order.
  const ranks = accountRanks(assessment);
  const rank = (f: Finding) => (f.account !== undefined ? (ranks.get(f.account) ?? 0) : 0);
  return assessment.results
    .flatMap((result) =>
      result.findings
        .filter((f) => isOpen(f) && f.remediation)
        .map((finding) => ({
          result,
          finding,
          order: planOrder(assessment, finding) ?? Number.MAX_SAFE_INTEGER,
        })),
    )
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.order - b.order);
}

function countsOf(summary: Report['summary'], findings: readonly Finding[]) {
  return { ...summary, suppressed: findings.filter((f) => f.suppressed).length };
}

/** The accounts a report covers: an organization's, or the one account of a single-account report. */
function accountsOf(report: Report): JsonReport['accounts'] {
  if (report.organization)
    return report.organization.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      ...(a.email !== undefined ? { email: a.email } : {}),
      assessed: a.assessed,
      ...(a.reason !== undefined ? { reason: a.reason } : {}),
      integer_result: a.integerResult,
      summary: countsOf(a.summary, a.report.findings),
      controls: Object.entries(a.controls).map(([id, status]) => ({ id, status })),
    }));
  const result = integerResult(report);
  return [
    {
      id: report.account.id,
      name: null,
      assessed: true,
      integer_result: result === 0 ? 0 : 1,
      summary: countsOf(report.summary, report.findings),
      controls: report.results.map((r) => ({ id: r.control.id, status: r.status })),
    },
  ];
}

export function toJsonReport(assessment: Report): JsonReport {
  return {
    reportVersion: JSON_REPORT_VERSION,
    integer_result: integerResult(assessment),
    pretty_result: PRETTY_SUCCESS,
    tool: assessment.tool,
    account: assessment.account.id,
    partition: assessment.account.partition,
    regions: assessment.regions,
    startedAt: assessment.startedAt,
    finishedAt: assessment.finishedAt,
    summary: countsOf(assessment.summary, assessment.findings),
    controls: assessment.results.map((r) => ({
      id: r.control.id,
      title: r.control.title,
      severity: r.control.severity,
      status: r.status,
      frameworks: mappingsOf(r.control.id).map((m) => ({ framework: m.framework, id: m.id })),
      ...(r.elsewhere && r.elsewhere.length > 0
        ? {
            elsewhere: r.elsewhere.map((e) => ({
              resource: { ...e.resource },
              account: e.account,
              trail: e.trail,
              ...(e.status !== undefined ? { status: e.status } : {}),
            })),
          }
        : {}),
    })),
    findings: assessment.findings.map((f) => {
      const order = assessment.planOrder(f);
      const code = f.remediation ? assessment.fixAsCode(f) : undefined;
      return {
        control: f.control,
        status: f.status,
        severity: f.severity,
        title: f.title,
        account: f.account ?? assessment.account.id,
        message: plain(f.message),
        resource: f.resource,
        evidence: f.evidence,
        remediation: f.remediation
          ? {
              summary: plain(f.remediation.summary),
              cli: f.remediation.cli,
              console: f.remediation.console,
              ...(f.remediation.permissions ? { permissions: f.remediation.permissions } : {}),
              ...(f.remediation.causes ? { causes: f.remediation.causes } : {}),
              ...(code ? { terraform: code.terraform, cloudformation: code.cloudformation } : {}),
              ...(order !== undefined ? { order } : {}),
            }
          : null,
        ...(f.suppressed ? { suppressed: { ...f.suppressed } } : {}),
      };
    }),
    framework: assessment.framework
      ? { id: assessment.framework.id, title: assessment.framework.title }
      : null,
    notes: assessment.notes,
    accounts: accountsOf(assessment),
    organization: assessment.organization
      ? {
          id: assessment.organization.info.Id,
          managementAccount: assessment.organization.info.MasterAccountId,
          leftOut: assessment.organization.leftOut,
        }
      : null,
    stats: {
      durationMs: assessment.stats.durationMs,
      apiCalls: assessment.stats.apiCalls.reduce((sum, c) => sum + c.calls, 0),
      byOperation: assessment.stats.apiCalls,
    },
  };
}

/** The report when the assessment could not run at all: integer_result 2 and the reason. */
export function failedJsonReport(reason: string, startedAt: Date, finishedAt: Date): JsonReport {
  return {
    reportVersion: JSON_REPORT_VERSION,
    integer_result: 2,
    pretty_result: `The probe could not run: ${reason}`,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    account: null,
    partition: null,
    regions: [],
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    summary: { PASS: 0, FAIL: 0, UNKNOWN: 0, total: 0 },
    controls: [],
    findings: [],
    notes: [],
    accounts: [],
    organization: null,
    error: reason,
  };
}

export function renderJson(assessment: Report): string {
  return `${safeJsonStringify(toJsonReport(assessment))}\n`;
}
