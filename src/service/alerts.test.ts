import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Status } from '../controls/types.js';
import type { JsonReport } from '../report/json.js';
import type { AlertScan } from './alerts.js';
import { MAX_ALERT_LINES, MAX_SUBJECT_CHARS, alertsForScan, changeAlerts, slackEscape } from './alerts.js';

const ACCOUNT = '123456789012';
const DASHBOARD = 'http://127.0.0.1:8080';

type Finding = JsonReport['findings'][number];

function trail(name: string, status: Status, control = 'CloudTrail.3', account = ACCOUNT): Finding {
  return {
    control,
    status,
    severity: 'high',
    title: control,
    message: `${name}: ${status}`,
    resource: {
      type: 'AwsCloudTrailTrail',
      id: `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`,
      name,
      region: 'us-east-1',
    },
    evidence: [],
    remediation: null,
    account,
  };
}

interface AccountSpec {
  id: string;
  name?: string;
  assessed?: boolean;
  reason?: string;
}

function report(findings: Finding[], org?: { id: string; accounts: AccountSpec[] }): JsonReport {
  const count = (s: Status, list = findings) => list.filter((f) => f.status === s).length;
  const controls = [...new Set(findings.map((f) => f.control))];
  const counts = (list: Finding[]) => ({
    PASS: count('PASS', list),
    FAIL: count('FAIL', list),
    UNKNOWN: count('UNKNOWN', list),
    total: list.length,
  });
  const accounts: AccountSpec[] = org?.accounts ?? [{ id: ACCOUNT }];
  return {
    reportVersion: 2,
    integer_result: count('PASS') === findings.length ? 0 : 1,
    pretty_result: 'x',
    tool: { name: 'trailcheck', version: 'test' },
    account: org ? (accounts[0]?.id ?? null) : ACCOUNT,
    partition: 'aws',
    regions: ['us-east-1'],
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:00:01.000Z',
    summary: counts(findings),
    controls: controls.map((id) => ({ id, title: id, severity: 'high', status: 'PASS', frameworks: [] })),
    findings,
    notes: [],
    accounts: accounts.map((a) => {
      const own = findings.filter((f) => f.account === a.id);
      return {
        id: a.id,
        name: a.name ?? null,
        assessed: a.assessed ?? true,
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
        integer_result: count('PASS', own) === own.length ? 0 : 1,
        summary: counts(own),
        controls: controls.map((id) => ({ id, status: 'PASS' as const })),
      };
    }),
    organization: org ? { id: org.id, managementAccount: accounts[0]?.id ?? '', leftOut: 0 } : null,
  };
}

function scan(id: string, status: AlertScan['status'] = 'done', error: string | null = null): AlertScan {
  return {
    id,
    status,
    subject: status === 'done' ? ACCOUNT : null,
    error,
    finishedAt: '2026-11-24T10:00:01.000Z',
  };
}

const good = report([trail('Main', 'PASS')]);
const stopped = report([trail('Main', 'FAIL')]);

describe('alertsForScan: once per change', () => {
  const cases: Array<{
    name: string;
    input: Parameters<typeof alertsForScan>[0];
    kinds: string[];
    text?: RegExp[];
  }> = [
    {
      name: 'first scan of a target: the baseline, no alert',
      input: { scan: scan('s1'), report: stopped, dashboardUrl: DASHBOARD },
      kinds: [],
    },
    {
      name: 'PASS → FAIL: one regression',
      input: {
        scan: scan('s2'),
        report: stopped,
        previousFinished: scan('s1'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['regressed'],
      text: [
        /1 finding got worse in account 123456789012/,
        /CloudTrail\.3 \(high\)/,
        /trail "Main" in us-east-1: PASS → FAIL/,
      ],
    },
    {
      name: 'the same failure in the next scan: no alert',
      input: {
        scan: scan('s3'),
        report: stopped,
        previousFinished: scan('s2'),
        previousReport: stopped,
        dashboardUrl: DASHBOARD,
      },
      kinds: [],
    },
    {
      name: 'FAIL → PASS: one recovery',
      input: {
        scan: scan('s4'),
        report: good,
        previousFinished: scan('s3'),
        previousReport: stopped,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['recovered'],
      text: [/1 finding recovered in account 123456789012/, /FAIL → PASS/],
    },
    {
      name: 'PASS → UNKNOWN: a regression',
      input: {
        scan: scan('s2'),
        report: report([trail('Main', 'UNKNOWN')]),
        previousFinished: scan('s1'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['regressed'],
      text: [/PASS → UNKNOWN/],
    },
    {
      name: 'a new resource that fails: a regression, said to be new',
      input: {
        scan: scan('s2'),
        report: report([trail('Main', 'PASS'), trail('Second', 'FAIL')]),
        previousFinished: scan('s1'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['regressed'],
      text: [/trail "Second" in us-east-1: new → FAIL/],
    },
    {
      name: 'a new resource that passes: nothing to say',
      input: {
        scan: scan('s2'),
        report: report([trail('Main', 'PASS'), trail('Second', 'PASS')]),
        previousFinished: scan('s1'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: [],
    },
    {
      name: 'one worse and one better: a regression and a recovery',
      input: {
        scan: scan('s2'),
        report: report([trail('Main', 'PASS'), trail('Second', 'FAIL')]),
        previousFinished: scan('s1'),
        previousReport: report([trail('Main', 'FAIL'), trail('Second', 'PASS')]),
        dashboardUrl: DASHBOARD,
      },
      kinds: ['regressed', 'recovered'],
    },
    {
      name: 'a failed scan after a done one: one alert that the target could not be assessed',
      input: {
        scan: scan('s2', 'failed', 'the AWS credentials were refused (InvalidClientTokenId).'),
        previousFinished: scan('s1'),
        dashboardUrl: DASHBOARD,
      },
      kinds: ['unassessable'],
      text: [
        /account 123456789012 could not be assessed/,
        /InvalidClientTokenId/,
        /no further alert while it keeps failing/,
      ],
    },
    {
      name: 'a failed scan after a failed one: no repeat',
      input: {
        scan: scan('s3', 'failed', 'the AWS credentials were refused.'),
        previousFinished: scan('s2', 'failed', 'the AWS credentials were refused.'),
        dashboardUrl: DASHBOARD,
      },
      kinds: [],
    },
    {
      name: 'a failed first scan: no alert (there is no assessment to lose)',
      input: { scan: scan('s1', 'failed', 'no credentials'), dashboardUrl: DASHBOARD },
      kinds: [],
    },
    {
      name: 'done after failed ones, nothing changed since the last done: assessed again',
      input: {
        scan: scan('s4'),
        report: stopped,
        previousFinished: scan('s3', 'failed', 'x'),
        previousReport: stopped,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['recovered'],
      text: [/account 123456789012 can be assessed again/, /Nothing changed since its last assessment/],
    },
    {
      name: 'done after failed ones, and worse than the last done: the regression, and assessed again',
      input: {
        scan: scan('s4'),
        report: stopped,
        previousFinished: scan('s3', 'failed', 'x'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: ['regressed', 'recovered'],
    },
    {
      name: 'a suppressed finding that starts failing: an accepted risk, no alert',
      input: {
        scan: scan('s2'),
        report: report([
          {
            ...trail('Main', 'FAIL'),
            suppressed: { reason: 'accepted', expires: '2099-01-01', source: 'api' },
          },
        ]),
        previousFinished: scan('s1'),
        previousReport: good,
        dashboardUrl: DASHBOARD,
      },
      kinds: [],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const messages = alertsForScan(c.input);
      assert.deepEqual(
        messages.map((m) => m.kind),
        c.kinds,
      );
      for (const pattern of c.text ?? []) assert.match(messages.map((m) => m.text).join('\n'), pattern);
      for (const m of messages) {
        assert.match(m.text, new RegExp(`${DASHBOARD}/scans/${c.input.scan.id}`));
        assert.ok(m.subject.length <= MAX_SUBJECT_CHARS);
        assert.match(m.subject, /^[\x20-\x7e]+$/);
      }
    });
});

describe('changeAlerts: organizations', () => {
  const org = 'o-abc123';
  const member = '222222222222';
  const before = report(
    [trail('Main', 'PASS', 'CloudTrail.3', ACCOUNT), trail('Member', 'PASS', 'CloudTrail.3', member)],
    {
      id: org,
      accounts: [{ id: ACCOUNT }, { id: member, name: 'prod' }],
    },
  );
  it('an account no longer assessed (role not assumed): a regression naming the account and why', () => {
    const after = report(
      [trail('Main', 'PASS', 'CloudTrail.3', ACCOUNT), trail('Member', 'UNKNOWN', 'CloudTrail.3', member)],
      {
        id: org,
        accounts: [
          { id: ACCOUNT },
          { id: member, name: 'prod', assessed: false, reason: 'AccessDenied on sts:AssumeRole' },
        ],
      },
    );
    const messages = changeAlerts(before, after, scan('s2'), DASHBOARD);
    assert.deepEqual(
      messages.map((m) => m.kind),
      ['regressed'],
    );
    const text = messages[0]?.text ?? '';
    assert.match(text, /1 finding got worse, 1 account could not be assessed in organization o-abc123/);
    assert.match(text, /account 222222222222 \(prod\) could not be assessed: AccessDenied on sts:AssumeRole/);
    assert.match(text, /account 222222222222 \(prod\), trail "Member" in us-east-1: PASS → UNKNOWN/);
    // And back: a recovery naming the account.
    const back = changeAlerts(after, before, scan('s3'), DASHBOARD);
    assert.deepEqual(
      back.map((m) => m.kind),
      ['recovered'],
    );
    assert.match(back[0]?.text ?? '', /account 222222222222 \(prod\) is assessed again/);
  });
});

describe('alert messages', () => {
  it('are Slack-compatible: text and mrkdwn blocks, hostile names escaped, a link to the scan', () => {
    const hostile = '<!channel> & <http://evil|click>`x`';
    const [message] = changeAlerts(
      report([trail(hostile, 'PASS')]),
      report([trail(hostile, 'FAIL')]),
      scan('s2'),
      `${DASHBOARD}/`,
    );
    assert.ok(message);
    const json = JSON.stringify(message.slack);
    assert.ok(!json.includes('<!channel>'), json);
    assert.ok(!json.includes('<http://evil'), json);
    assert.match(json, /&lt;!channel&gt; &amp; &lt;http:\/\/evil\|click&gt;/);
    assert.equal(typeof message.slack.text, 'string');
    assert.ok(message.slack.blocks.every((b) => (b.text?.text.length ?? 0) <= 3000));
    const links = message.slack.blocks.flatMap((b) => b.elements ?? []).map((e) => e.text);
    assert.deepEqual(links, [`<${DASHBOARD}/scans/s2|Open the scan in the trailcheck dashboard>`]);
    // The plain text (SNS) keeps the name as it is: no markup there to escape.
    assert.match(message.text, /trail "<!channel> & <http:\/\/evil\|click>`x`"/);
  });

  it('cap the lines at 20, then say how many more', () => {
    const names = Array.from({ length: 25 }, (_, i) => `T${String(i).padStart(2, '0')}`);
    const [message] = changeAlerts(
      report(names.map((n) => trail(n, 'PASS'))),
      report(names.map((n) => trail(n, 'FAIL'))),
      scan('s2'),
      DASHBOARD,
    );
    assert.ok(message);
    assert.equal(message.changes, 25);
    assert.equal(message.text.split('\n').filter((l) => l.startsWith('- ')).length, MAX_ALERT_LINES);
    assert.match(message.text, /… and 5 more: see the scan in the dashboard\./);
    assert.match(JSON.stringify(message.slack), /… and 5 more/);
    assert.match(message.subject, /^trailcheck: 25 findings got worse in account 123456789012$/);
  });

  it('keep every Slack section under its 3,000 characters, however long and hostile the names', () => {
    const names = Array.from({ length: 20 }, (_, i) => `${String(i)}${'&<>'.repeat(200)}`);
    const [message] = changeAlerts(
      report(names.map((n) => trail(n, 'PASS'))),
      report(names.map((n) => trail(n, 'FAIL'))),
      scan('s2'),
      DASHBOARD,
    );
    assert.ok(message);
    const sections = message.slack.blocks.filter((b) => b.type === 'section');
    assert.ok(sections.length > 2);
    for (const b of sections) assert.ok((b.text?.text.length ?? 0) <= 3000, String(b.text?.text.length));
    assert.equal(JSON.stringify(message.slack).match(/• /g)?.length, 20);
  });

  it('slackEscape keeps one line and escapes &, < and >', () => {
    assert.equal(slackEscape('a\nb <c> & d'), 'a b &lt;c&gt; &amp; d');
  });
});
