/**
 * OCSF 1.5.0 Compliance Finding events (class 2003), one per finding, as a JSON array: what Amazon
 * Security Lake, SIEMs and data lakes that speak OCSF take. The cloud profile carries the account and
 * Region. Evidence goes into `evidences` (the API call and the facts it returned).
 */
import type { Finding, Severity, Status } from '../controls/types.js';
import type { Assessment } from '../judge/assess.js';
import { TOOL_NAME } from '../version.js';
import {
  SEVERITY_TITLE,
  accountOf,
  findingUid,
  messageOf,
  observedAt,
  remediationText,
  requirementsOf,
} from './machine.js';
import { safeJsonStringify } from '../core/escape.js';

export const OCSF_VERSION = '1.5.0';

const CLASS_UID = 2003;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;

const SEVERITY_ID: Record<Severity, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** compliance.status_id: 1 Pass, 2 Warning ("did not yield a result due to missing information"), 3 Fail. */
const COMPLIANCE_STATUS: Record<Status, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  UNKNOWN: { id: 2, name: 'Warning' },
  FAIL: { id: 3, name: 'Fail' },
};

/** `cloudtrail:GetTrailStatus` → the API object's service and operation. */
function apiOf(source: string): { operation: string; service: { name: string } } {
  const [service = source, operation = source] = source.split(':');
  return { operation, service: { name: service } };
}

function event(assessment: Assessment, finding: Finding): Record<string, unknown> {
  const time = Date.parse(observedAt(assessment));
  const uid = findingUid(assessment, finding);
  const requirements = requirementsOf(finding.control);
  const compliance = COMPLIANCE_STATUS[finding.status];
  const cli = finding.remediation?.cli ?? [];
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time,
    severity_id: SEVERITY_ID[finding.severity],
    severity: SEVERITY_TITLE[finding.severity],
    // The finding's workflow state: 1 New, 3 Suppressed (reviewed and accepted).
    status_id: finding.suppressed ? 3 : 1,
    status: finding.suppressed ? 'Suppressed' : 'New',
    ...(finding.suppressed
      ? {
          status_detail: `Suppressed until ${finding.suppressed.expires}: ${finding.suppressed.reason} (${finding.suppressed.source})`,
          comment: finding.suppressed.reason,
        }
      : {}),
    message: messageOf(finding),
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      uid,
      event_code: finding.control,
      product: {
        name: TOOL_NAME,
        vendor_name: TOOL_NAME,
        version: assessment.tool.version,
        uid: TOOL_NAME,
      },
    },
    cloud: {
      provider: 'AWS',
      region: finding.resource.region,
      account: { uid: accountOf(assessment, finding), type_id: 10, type: 'AWS Account' },
    },
    finding_info: {
      uid,
      title: finding.title,
      desc: messageOf(finding),
      created_time: time,
      first_seen_time: time,
      last_seen_time: time,
      types: [
        'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      ],
    },
    compliance: {
      control: finding.control,
      standards: ['AWS Security Hub', ...requirements.map((r) => r.standard)],
      requirements: requirements.map((r) => `${r.standard} ${r.id}`),
      status_id: compliance.id,
      status: compliance.name,
      status_detail: messageOf(finding),
    },
    ...(finding.remediation
      ? {
          remediation: {
            desc: [
              remediationText(finding),
              ...cli.map((c) => `$ ${c}`),
              ...finding.remediation.console,
            ].join('\n'),
          },
        }
      : {}),
    resources: [
      {
        uid: finding.resource.id,
        name: finding.resource.name,
        type: finding.resource.type,
        region: finding.resource.region,
        cloud_partition: assessment.account.partition,
      },
    ],
    evidences: finding.evidence.map((e) => ({
      api: apiOf(e.source),
      data: { region: e.region, ...(e.error ? { error: e.error } : { facts: e.facts ?? {} }) },
    })),
    unmapped: {
      trailcheck_status: finding.status,
      ...(cli.length > 0 ? { remediation_cli: cli } : {}),
      ...(finding.remediation?.permissions ? { permissions_needed: finding.remediation.permissions } : {}),
      ...(finding.suppressed ? { suppression: { ...finding.suppressed } } : {}),
    },
  };
}

/** Every finding, passing ones included: a compliance record needs the passes as much as the gaps. */
export function renderOcsf(assessment: Assessment): string {
  return `${safeJsonStringify(assessment.findings.map((f) => event(assessment, f)))}\n`;
}
