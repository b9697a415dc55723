/**
 * CSV (RFC 4180): one row per finding, for spreadsheets and ticket imports. Every field is quoted, rows
 * end with CRLF, and a field that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) gets a leading apostrophe, so a hostile tag or error message stays text.
 */
import type { Finding } from '../controls/types.js';
import type { Assessment } from '../judge/assess.js';
import { mappingsOf } from '../controls/frameworks.js';
import { accountOf, findingUid, messageOf, remediationText } from './machine.js';

export const CSV_COLUMNS = [
  'finding_id',
  'account_id',
  'region',
  'control',
  'title',
  'severity',
  'status',
  'suppressed',
  'suppression_reason',
  'suppression_expires',
  'resource_type',
  'resource_id',
  'resource_name',
  'message',
  'remediation',
  'remediation_cli',
  'frameworks',
  'observed_at',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

// C1 controls, separators and bidi overrides as well: a CSV is also read in terminals and viewers.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function csvField(value: string): string {
  let text = value.replace(CONTROL, ' ');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function row(assessment: Assessment, finding: Finding): Record<Column, string> {
  return {
    finding_id: findingUid(assessment, finding),
    account_id: accountOf(assessment, finding),
    region: finding.resource.region,
    control: finding.control,
    title: finding.title,
    severity: finding.severity,
    status: finding.status,
    suppressed: finding.suppressed ? 'true' : 'false',
    suppression_reason: finding.suppressed?.reason ?? '',
    suppression_expires: finding.suppressed?.expires ?? '',
    resource_type: finding.resource.type,
    resource_id: finding.resource.id,
    resource_name: finding.resource.name,
    message: messageOf(finding),
    remediation: remediationText(finding),
    remediation_cli: (finding.remediation?.cli ?? []).join('\n'),
    frameworks: mappingsOf(finding.control)
      .map((m) => `${m.framework}:${m.id}`)
      .join(' '),
    observed_at: assessment.finishedAt,
  };
}

export function renderCsv(assessment: Assessment): string {
  const lines = [CSV_COLUMNS.map(csvField).join(',')];
  for (const finding of assessment.findings) {
    const values = row(assessment, finding);
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
