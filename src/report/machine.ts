/** Pieces the machine formats (ASFF, OCSF, SARIF, CSV, JUnit) share, so they describe a finding alike. */
import type { Finding, Severity } from '../controls/types.js';
import type { Assessment } from '../judge/assess.js';
import { mappingsOf } from '../controls/frameworks.js';
import { plain } from '../core/rich.js';

/**
 * A stable id for a finding: the same finding (see findingIdentity) keeps it from scan to scan, and two
 * findings of a scan never share it (Security Hub would keep only one). An ARN already says which
 * resource and Region; an account-level finding about a part of the account (CloudTrail.3's Region, a
 * blind spot) adds that part's name, so the account's own finding keeps the id it always had.
 */
export function findingUid(assessment: Assessment, finding: Finding): string {
  const { id, name } = finding.resource;
  const part = finding.resource.type === 'AwsAccount' && name !== id ? `/${name}` : '';
  return `trailcheck/${accountOf(assessment, finding)}/${finding.control}/${id}${part}`;
}

/**
 * The account a finding is about: its own in an organization's report (`scan --org`), else the report's.
 * Machine formats name it per finding, so a member's gap is filed under that member.
 */
export function accountOf(assessment: Assessment, finding: Finding): string {
  return finding.account ?? assessment.account.id;
}

/** ISO 8601 time the evidence was collected: what every machine format dates its findings by. */
export function observedAt(assessment: Assessment): string {
  return assessment.finishedAt;
}

export const SEVERITY_TITLE: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  informational: 'Informational',
};

/** "CIS AWS Foundations Benchmark v5.0.0 3.2", one per framework version that numbers the control. */
export function requirementsOf(controlId: string): Array<{ standard: string; id: string }> {
  return mappingsOf(controlId).map((m) => ({ standard: m.title, id: m.id }));
}

/** The finding's message and next step as plain text. */
export function messageOf(finding: Finding): string {
  return plain(finding.message);
}

export function remediationText(finding: Finding): string {
  return finding.remediation ? plain(finding.remediation.summary) : '';
}

/** Truncates to a field's documented limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
