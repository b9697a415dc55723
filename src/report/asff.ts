/**
 * AWS Security Finding Format, as the input of Security Hub's BatchImportFindings:
 * `aws securityhub batch-import-findings --cli-input-json file://report.asff.json` (up to 100 findings a
 * call). Findings are imported into the Region trailcheck ran its account-level calls in, under the
 * account's default product ARN for custom integrations. Field limits are the documented ASFF ones.
 */
import type { Finding, Severity, Status } from '../controls/types.js';
import type { Assessment } from '../judge/assess.js';
import { TOOL_NAME } from '../version.js';
import {
  accountOf,
  clip,
  findingUid,
  messageOf,
  observedAt,
  remediationText,
  requirementsOf,
} from './machine.js';
import { safeJsonStringify } from '../core/escape.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const LABEL: Record<Severity, string> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** A passed check is informational in Security Hub, whatever the control's severity. */
function severityLabel(finding: Finding): string {
  return finding.status === 'PASS' ? 'INFORMATIONAL' : LABEL[finding.severity];
}

const COMPLIANCE: Record<Status, string> = { PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'NOT_AVAILABLE' };

export const ASFF_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

function resourceId(finding: Finding): string {
  // Security Hub names an account resource AWS::::Account:<id>.
  return finding.resource.type === 'AwsAccount'
    ? `AWS::::Account:${finding.resource.id}`
    : finding.resource.id;
}

function workflowStatus(finding: Finding): string {
  if (finding.suppressed) return 'SUPPRESSED';
  return finding.status === 'PASS' ? 'RESOLVED' : 'NEW';
}

function asffFinding(assessment: Assessment, finding: Finding): Record<string, unknown> {
  // Imported by the report's account (the management account for an organization) under its own
  // product; each finding is filed under the account it is about.
  const { id: importer, partition } = assessment.account;
  const account = accountOf(assessment, finding);
  const region = assessment.controlRegion;
  const at = observedAt(assessment);
  const recommendation = remediationText(finding);
  const productFields: Record<string, string> = {
    'trailcheck/ControlId': finding.control,
    'trailcheck/Status': finding.status,
    'trailcheck/ToolVersion': assessment.tool.version,
  };
  finding.remediation?.cli.forEach((command, index) => {
    productFields[`trailcheck/RemediationCli/${index + 1}`] = command;
  });
  if (finding.remediation?.permissions && finding.remediation.permissions.length > 0) {
    productFields['trailcheck/PermissionsNeeded'] = finding.remediation.permissions.join(',');
  }
  const severity = { Label: severityLabel(finding), Original: finding.severity };
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: clip(findingUid(assessment, finding), 512),
    ProductArn: `arn:${partition}:securityhub:${region}:${importer}:product/${importer}/default`,
    ProductName: TOOL_NAME,
    CompanyName: TOOL_NAME,
    GeneratorId: `${TOOL_NAME}/${finding.control}`,
    AwsAccountId: account,
    Region: region,
    Types: [ASFF_TYPE],
    FirstObservedAt: at,
    LastObservedAt: at,
    CreatedAt: at,
    UpdatedAt: at,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: [ASFF_TYPE] },
    Title: clip(`${finding.control} ${finding.title}`, 256),
    Description: clip(messageOf(finding), 1024),
    ...(recommendation !== ''
      ? { Remediation: { Recommendation: { Text: clip(recommendation, 512) } } }
      : {}),
    ProductFields: productFields,
    Resources: [
      {
        Type: finding.resource.type,
        Id: resourceId(finding),
        Partition: partition,
        Region: finding.resource.region,
        Details: { Other: { Name: clip(finding.resource.name, 1024) } },
      },
    ],
    Compliance: {
      Status: COMPLIANCE[finding.status],
      SecurityControlId: finding.control,
      RelatedRequirements: requirementsOf(finding.control).map((r) => `${r.standard}/${r.id}`),
    },
    Workflow: { Status: workflowStatus(finding) },
    RecordState: 'ACTIVE',
    ...(finding.suppressed
      ? {
          Note: {
            Text: clip(`Suppressed until ${finding.suppressed.expires}: ${finding.suppressed.reason}`, 512),
            UpdatedBy: TOOL_NAME,
            UpdatedAt: at,
          },
        }
      : {}),
  };
}

/** `{"Findings": [...]}`: the request body of BatchImportFindings. */
export function renderAsff(assessment: Assessment): string {
  return `${safeJsonStringify({ Findings: assessment.findings.map((f) => asffFinding(assessment, f)) })}\n`;
}
