/**
 * JUnit XML for CI test dashboards: one test suite per control, one test case per finding. A failed
 * check is a <failure>, a check that could not be assessed an <error> (the test could not run), and a
 * suppressed finding is <skipped> with the reason. Text is escaped for XML 1.0, and characters XML 1.0
 * cannot carry at all are replaced, so a hostile name cannot break the document.
 */
import type { Finding } from '../controls/types.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import { messageOf, remediationText } from './machine.js';

// Characters outside XML 1.0's Char production (and lone surrogates).
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Legal in XML, but they let a name act on a terminal (C1) or reorder what a dashboard shows (bidi).
const DISPLAY_CONTROL = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(DISPLAY_CONTROL, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function details(finding: Finding): string {
  const lines = [messageOf(finding)];
  const fix = remediationText(finding);
  if (fix !== '') lines.push('', `Next step: ${fix}`);
  for (const command of finding.remediation?.cli ?? []) lines.push(`  $ ${command}`);
  if (finding.remediation?.permissions)
    lines.push(`Permissions to grant: ${finding.remediation.permissions.join(', ')}`);
  lines.push('', `Resource: ${finding.resource.id} (${finding.resource.region})`);
  if (finding.account !== undefined) lines.push(`Account: ${finding.account}`);
  for (const e of finding.evidence) {
    lines.push(
      `Evidence: ${e.source} (${e.region}): ${e.error ? `error ${e.error.code}: ${e.error.message}` : JSON.stringify(e.facts ?? {})}`,
    );
  }
  return lines.join('\n');
}

/** "org-trail (us-east-1)"; in an organization's report the account too, as two accounts share names. */
function caseName(finding: Finding): string {
  const where =
    finding.account !== undefined
      ? `${finding.resource.region}, account ${finding.account}`
      : finding.resource.region;
  return `${finding.resource.name} (${where})`;
}

function testCase(result: ControlResult, finding: Finding): string {
  const open = `    <testcase classname="${xmlAttr(`trailcheck.${result.control.id}`)}" name="${xmlAttr(caseName(finding))}" time="0"`;
  if (finding.suppressed) {
    const s = finding.suppressed;
    return `${open}>\n      <skipped message="${xmlAttr(`suppressed until ${s.expires}: ${s.reason}`)}"/>\n    </testcase>`;
  }
  if (finding.status === 'PASS') return `${open}/>`;
  const element = finding.status === 'FAIL' ? 'failure' : 'error';
  const type = finding.status === 'FAIL' ? `${finding.severity} severity` : 'could not be assessed';
  return `${open}>\n      <${element} message="${xmlAttr(messageOf(finding))}" type="${xmlAttr(type)}">${xmlText(details(finding))}</${element}>\n    </testcase>`;
}

function counts(findings: readonly Finding[]) {
  return {
    tests: findings.length,
    failures: findings.filter((f) => !f.suppressed && f.status === 'FAIL').length,
    errors: findings.filter((f) => !f.suppressed && f.status === 'UNKNOWN').length,
    skipped: findings.filter((f) => f.suppressed).length,
  };
}

export function renderJunit(assessment: Assessment): string {
  const all = counts(assessment.findings);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="trailcheck" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="0">`,
  ];
  for (const result of assessment.results) {
    const c = counts(result.findings);
    lines.push(
      `  <testsuite name="${xmlAttr(`${result.control.id} ${result.control.texts.name}`)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0" timestamp="${xmlAttr(assessment.finishedAt.replace(/Z$/, ''))}" hostname="${xmlAttr(`aws-account-${assessment.account.id}`)}">`,
    );
    lines.push(
      `    <properties>\n      <property name="severity" value="${xmlAttr(result.control.severity)}"/>\n      <property name="title" value="${xmlAttr(result.control.title)}"/>\n    </properties>`,
    );
    for (const finding of result.findings) lines.push(testCase(result, finding));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
