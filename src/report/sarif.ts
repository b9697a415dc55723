/**
 * SARIF 2.1.0: one rule per control, one result per finding that did not pass (code-scanning tools
 * treat every result as an alert, so passes are only counted in the run's properties). A finding that
 * could not be assessed is `kind: "open"` (the tool could not decide), as the standard says; suppressed
 * findings carry an accepted external suppression with the reason. Resources have no source file, so a
 * result's location is the resource's ARN, as a URI and as a logical location.
 */
import type { Finding, Severity } from '../controls/types.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import { mappingsOf } from '../controls/frameworks.js';
import { TOOL_NAME } from '../version.js';
import { findingUid, messageOf, remediationText } from './machine.js';
import { tally } from './outcome.js';
import type { Report } from './model.js';
import { safeJsonStringify } from '../core/escape.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  informational: 'note',
};

/** GitHub code scanning's numeric severity (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  informational: '0.0',
};

/** "Log file validation" → "LogFileValidation": SARIF wants a rule name that reads like an identifier. */
function ruleName(result: ControlResult): string {
  return result.control.texts.name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function rule(result: ControlResult): Record<string, unknown> {
  const { control } = result;
  const frameworks = mappingsOf(control.id);
  return {
    id: control.id,
    name: ruleName(result),
    shortDescription: { text: control.title },
    fullDescription: { text: `${control.texts.whatItDoes} ${control.texts.whyItMatters}` },
    help: {
      text: `${control.texts.checks}\n\nWhy fix it: ${control.texts.whyFix}.`,
      markdown: `**What trailcheck checks:** ${control.texts.checks}\n\n**Why it matters:** ${control.texts.whyItMatters}\n\n**Why fix it:** ${control.texts.whyFix}.`,
    },
    defaultConfiguration: { level: LEVEL[control.severity] },
    properties: {
      tags: ['security', 'aws', 'cloudtrail', ...frameworks.map((m) => `${m.framework}:${m.id}`)],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[control.severity],
      severity: control.severity,
    },
  };
}

function sarifResult(assessment: Assessment, finding: Finding, ruleIndex: number): Record<string, unknown> {
  const fix = remediationText(finding);
  const message = fix === '' ? messageOf(finding) : `${messageOf(finding)} Next step: ${fix}`;
  return {
    ruleId: finding.control,
    ruleIndex,
    kind: finding.status === 'FAIL' ? 'fail' : 'open',
    level: finding.status === 'FAIL' ? LEVEL[finding.severity] : 'none',
    message: { text: message },
    locations: [
      {
        // A URI must be percent-encoded: a name with spaces or markup would make it invalid.
        physicalLocation: { artifactLocation: { uri: encodeURI(finding.resource.id).replace(/#/g, '%23') } },
        logicalLocations: [
          {
            name: finding.resource.name,
            fullyQualifiedName: finding.resource.id,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { 'trailcheckFindingId/v1': findingUid(assessment, finding) },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${finding.suppressed.reason} (until ${finding.suppressed.expires}; ${finding.suppressed.source})`,
            },
          ],
        }
      : {}),
    properties: {
      // In an organization's report: the member account the finding is about.
      ...(finding.account !== undefined ? { account: finding.account } : {}),
      status: finding.status,
      severity: finding.severity,
      resourceType: finding.resource.type,
      region: finding.resource.region,
      ...(finding.remediation && finding.remediation.cli.length > 0
        ? { remediationCli: finding.remediation.cli }
        : {}),
      ...(finding.remediation?.permissions ? { permissionsNeeded: finding.remediation.permissions } : {}),
      evidence: finding.evidence,
    },
  };
}

export function renderSarif(assessment: Report): string {
  const ruleIndex = new Map(assessment.results.map((r, index) => [r.control.id, index]));
  const counts = tally(assessment.findings);
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: assessment.tool.version,
            semanticVersion: assessment.tool.version,
            rules: assessment.results.map(rule),
          },
        },
        automationDetails: { id: `${TOOL_NAME}/${assessment.account.id}/` },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: assessment.startedAt,
            endTimeUtc: assessment.finishedAt,
          },
        ],
        results: assessment.findings
          .filter((f) => f.status !== 'PASS')
          .map((f) => sarifResult(assessment, f, ruleIndex.get(f.control) ?? -1)),
        properties: {
          account: assessment.account.id,
          ...(assessment.organization
            ? {
                organization: assessment.organization.info.Id,
                accounts: assessment.organization.accounts.map((a) => a.id),
              }
            : {}),
          partition: assessment.account.partition,
          regions: assessment.regions,
          counts: { ...assessment.summary, suppressed: counts.SUPPRESSED },
          notes: assessment.notes,
        },
      },
    ],
  };
  return `${safeJsonStringify(log)}\n`;
}
