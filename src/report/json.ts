/**
 * The JSON report: a stable contract other tools consume (documented in the README). Its shape is a zod
 * schema, so the renderer and the published contract cannot drift apart; tests validate real output
 * against it.
 */
import { z } from 'zod';
import type { ControlResult } from '../judge/assess.js';
import type { Report } from './model.js';
import { integerResult, PRETTY_SUCCESS } from '../judge/assess.js';
import { mappingsOf } from '../frameworks/index.js';
import { UNKNOWN_CAUSES } from '../aws/errors.js';
import { SEVERITIES, STATUSES } from '../controls/types.js';
import type { Finding } from '../controls/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { safeJsonStringify } from '../core/escape.js';
import { isOpen } from './outcome.js';
import { plain } from '../core/rich.js';

export const JSON_REPORT_VERSION = 1;

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

export const JsonFindingSchema = z.object({
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

const CountsSchema = z.object({
  PASS: z.number().int(),
  FAIL: z.number().int(),
  UNKNOWN: z.number().int(),
  total: z.number().int(),
  /** Findings a suppression file accepted (counted in their status too); optional so earlier reports still validate. */
  suppressed: z.number().int().optional(),
});

export const JsonReportSchema = z.object({
  reportVersion: z.literal(JSON_REPORT_VERSION),
  integer_result: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  pretty_result: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  account: z.string().nullable(),
  partition: z.string().nullable(),
  regions: z.array(z.string()),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  summary: CountsSchema,
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      status: z.enum([...STATUSES, 'NOT_APPLICABLE']),
      frameworks: z.array(z.object({ framework: z.string(), id: z.string() })),
    }),
  ),
  findings: z.array(JsonFindingSchema),
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

export type JsonReport = z.infer<typeof JsonReportSchema>;

/** A finding's place in the action plan (1-based), when the plan has a step for it. */
export function planOrder(report: Report, finding: Finding): number | undefined {
  return report.planOrder(finding);
}

/**
 * The open findings that have a next step, in the action plan's order (what must come first, then
 * severity, then effort), as the Markdown and HTML reports list them.
 */
export function actionItems(
  assessment: Report,
): Array<{ result: ControlResult; finding: Finding; order: number }> {
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
    .sort((a, b) => a.order - b.order);
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
    summary: { ...assessment.summary, suppressed: assessment.findings.filter((f) => f.suppressed).length },
    controls: assessment.results.map((r) => ({
      id: r.control.id,
      title: r.control.title,
      severity: r.control.severity,
      status: r.status,
      frameworks: mappingsOf(r.control.id).map((m) => ({ framework: m.framework, id: m.id })),
    })),
    findings: assessment.findings.map((f) => {
      const order = assessment.planOrder(f);
      const code = f.remediation ? assessment.fixAsCode(f) : undefined;
      return {
        control: f.control,
        status: f.status,
        severity: f.severity,
        title: f.title,
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
    error: reason,
  };
}

export function renderJson(assessment: Report): string {
  return `${safeJsonStringify(toJsonReport(assessment))}\n`;
}
