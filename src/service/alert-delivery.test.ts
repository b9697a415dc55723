import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Status } from '../controls/types.js';
import type { JsonReport } from '../report/json.js';
import { UsageError } from '../util/errors.js';
import type { AlertMessage } from './alerts.js';
import type { Deliverers, Delivery } from './alert-delivery.js';
import {
  Alerter,
  alertDestinations,
  parseSnsTopics,
  parseWebhookUrls,
  postWebhook,
} from './alert-delivery.js';
import { openDatabase } from './store/database.js';
import { Store } from './store/store.js';

const ACCOUNT = '123456789012';

describe('alert destinations from flags and environment', () => {
  it('takes http(s) URLs, repeated or comma-separated', () => {
    const urls = parseWebhookUrls([
      'https://hooks.example.com/a,http://127.0.0.1:9/b',
      ' https://x.example/c ',
    ]);
    assert.deepEqual(
      urls.map((u) => u.href),
      ['https://hooks.example.com/a', 'http://127.0.0.1:9/b', 'https://x.example/c'],
    );
  });

  for (const [value, pattern] of [
    ['file:///etc/passwd', /takes an http:\/\/ or https:\/\/ URL, not a file: one/],
    ['ftp://example.com/x', /not a ftp: one/],
    ['not a url', /takes an http:\/\/ or https:\/\/ URL, not 'not a url'/],
    ['https://user:secret@example.com/x', /without user:password/],
    ['https://a.example/x,', /needs a URL/],
  ] as const)
    it(`refuses '${value}' in one line`, () => {
      assert.throws(
        () => parseWebhookUrls([value]),
        (error: unknown) =>
          error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n'),
      );
    });

  it('takes SNS topic ARNs and refuses anything else', () => {
    assert.deepEqual(
      parseSnsTopics([
        'arn:aws:sns:eu-west-1:111122223333:alerts,arn:aws-us-gov:sns:us-gov-west-1:111122223333:a.fifo',
      ]),
      ['arn:aws:sns:eu-west-1:111122223333:alerts', 'arn:aws-us-gov:sns:us-gov-west-1:111122223333:a.fifo'],
    );
    for (const bad of [
      'alerts',
      'arn:aws:sqs:eu-west-1:111122223333:q',
      'arn:aws:sns:eu-west-1:1111:alerts',
      'arn:aws:sns:eu-west-1:111122223333:a b',
    ])
      assert.throws(() => parseSnsTopics([bad]), /--alert-sns-topic takes an SNS topic ARN/);
  });

  it('falls back to TRAILCHECK_ALERT_WEBHOOK and TRAILCHECK_ALERT_SNS_TOPIC; a flag wins', () => {
    const env = {
      TRAILCHECK_ALERT_WEBHOOK: 'https://env.example/hook',
      TRAILCHECK_ALERT_SNS_TOPIC: 'arn:aws:sns:us-east-1:111122223333:env',
    };
    const fromEnv = alertDestinations({}, env);
    assert.deepEqual(
      fromEnv.webhooks.map((u) => u.href),
      ['https://env.example/hook'],
    );
    assert.deepEqual(fromEnv.snsTopics, ['arn:aws:sns:us-east-1:111122223333:env']);
    const fromFlag = alertDestinations({ webhooks: ['https://flag.example/hook'] }, env);
    assert.deepEqual(
      fromFlag.webhooks.map((u) => u.href),
      ['https://flag.example/hook'],
    );
    assert.throws(() => alertDestinations({}, { TRAILCHECK_ALERT_WEBHOOK: 'file:///x' }), UsageError);
  });
});

const MESSAGE: AlertMessage = {
  kind: 'regressed',
  scanId: 's1',
  target: `account ${ACCOUNT}`,
  subject: 'trailcheck: 1 finding got worse',
  text: 'text',
  slack: { text: 'hello', blocks: [] },
  link: 'http://127.0.0.1/scans/s1',
  changes: 1,
};

describe('postWebhook', () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];
  let answers: Array<(res: ServerResponse) => void> = [];
  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers['content-type'] ?? ''} ${body}`);
        const answer = answers.shift();
        if (answer) answer(res);
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('posts the Slack body as JSON', async () => {
    hits.length = 0;
    const d = await postWebhook(new URL(`${base}/hook/SECRET`), MESSAGE, { backoffMs: 1 });
    assert.deepEqual(d, { destination: `webhook ${base}/…`, ok: true, attempts: 1, status: 200 });
    assert.deepEqual(hits, [`POST /hook/SECRET application/json {"text":"hello","blocks":[]}`]);
  });

  it('retries a 500 and a 429, then succeeds', async () => {
    hits.length = 0;
    answers = [(res) => res.writeHead(500).end(), (res) => res.writeHead(429).end()];
    const d = await postWebhook(new URL(`${base}/hook`), MESSAGE, { backoffMs: 1 });
    assert.equal(d.ok, true);
    assert.equal(d.attempts, 3);
    assert.equal(hits.length, 3);
  });

  it('gives up after two retries, and does not retry a 400', async () => {
    hits.length = 0;
    answers = [0, 1, 2].map(() => (res: ServerResponse) => res.writeHead(503).end());
    const failed = await postWebhook(new URL(`${base}/hook`), MESSAGE, { backoffMs: 1 });
    assert.deepEqual([failed.ok, failed.attempts, failed.status], [false, 3, 503]);
    answers = [(res) => res.writeHead(400).end()];
    const refused = await postWebhook(new URL(`${base}/hook`), MESSAGE, { backoffMs: 1 });
    assert.deepEqual([refused.ok, refused.attempts, refused.status], [false, 1, 400]);
    assert.equal(hits.length, 4);
  });

  it('never follows a redirect (to file: or anywhere)', async () => {
    hits.length = 0;
    answers = [(res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end()];
    const d = await postWebhook(new URL(`${base}/hook`), MESSAGE, { backoffMs: 1 });
    assert.deepEqual([d.ok, d.status], [false, 302]);
    assert.match(d.error ?? '', /redirect \(not followed\)/);
    answers = [(res) => res.writeHead(307, { location: `${base}/elsewhere` }).end()];
    await postWebhook(new URL(`${base}/hook`), MESSAGE, { backoffMs: 1 });
    assert.deepEqual(
      hits.map((h) => h.split(' ')[1]),
      ['/hook', '/hook'],
    );
  });

  it('times out a silent receiver and says so', async () => {
    answers = [0, 1].map(() => () => {}); // never answers
    const d = await postWebhook(new URL(`${base}/hook`), MESSAGE, {
      backoffMs: 1,
      timeoutMs: 150,
      retries: 1,
    });
    assert.deepEqual([d.ok, d.attempts], [false, 2]);
    assert.match(d.error ?? '', /timed out/);
    answers = [];
  });

  it('a receiver that is not there: a failed delivery, not an exception', async () => {
    const d = await postWebhook(new URL('http://127.0.0.1:9/hook'), MESSAGE, { backoffMs: 1, retries: 0 });
    assert.equal(d.ok, false);
    assert.ok((d.error ?? '').length > 0);
  });
});

function report(status: Status): JsonReport {
  const finding = {
    control: 'CloudTrail.3',
    status,
    severity: 'high' as const,
    title: 'CloudTrail.3',
    message: `Main: ${status}`,
    resource: {
      type: 'AwsCloudTrailTrail' as const,
      id: 'arn:trail/Main',
      name: 'Main',
      region: 'us-east-1',
    },
    evidence: [],
    remediation: null,
    account: ACCOUNT,
  };
  const counts = { PASS: status === 'PASS' ? 1 : 0, FAIL: status === 'FAIL' ? 1 : 0, UNKNOWN: 0, total: 1 };
  return {
    reportVersion: 2,
    integer_result: status === 'PASS' ? 0 : 1,
    pretty_result: status,
    tool: { name: 'trailcheck', version: 'test' },
    account: ACCOUNT,
    partition: 'aws',
    regions: ['us-east-1'],
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:00:01.000Z',
    summary: counts,
    controls: [{ id: 'CloudTrail.3', title: 'x', severity: 'high', status: 'PASS', frameworks: [] }],
    findings: [finding],
    notes: [],
    accounts: [
      {
        id: ACCOUNT,
        name: null,
        assessed: true,
        integer_result: status === 'PASS' ? 0 : 1,
        summary: counts,
        controls: [{ id: 'CloudTrail.3', status: 'PASS' }],
      },
    ],
    organization: null,
  };
}

describe('Alerter on a real store', () => {
  it('alerts once per change across done and failed scans, records every delivery, and a failing destination harms nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-alerter-'));
    const store = new Store(await openDatabase({ kind: 'embedded', dir }));
    try {
      const sent: string[] = [];
      const deliverers: Deliverers = {
        webhook: (url, m) => {
          sent.push(`webhook ${m.kind}`);
          return Promise.resolve({ destination: `webhook ${url.origin}/…`, ok: true, attempts: 1 });
        },
        sns: (arn, m): Promise<Delivery> => {
          sent.push(`sns ${m.kind}`);
          return Promise.resolve({
            destination: `sns ${arn}`,
            ok: false,
            attempts: 3,
            error: 'AuthorizationError',
          });
        },
      };
      const logs: string[] = [];
      const alerter = new Alerter(
        store,
        {
          webhooks: [new URL('https://hooks.example/T/SECRET')],
          snsTopics: ['arn:aws:sns:us-east-1:111122223333:t'],
        },
        (line) => logs.push(line),
        { dashboardUrl: () => 'http://dash.example', deliverers },
      );
      const request = { regions: ['us-east-1'] };
      let clock = Date.parse('2026-11-24T10:00:00.000Z');
      const next = () => new Date((clock += 60_000)).toISOString();
      const run = async (outcome: Status | 'failed') => {
        await store.createScan({ request, trigger: 'test' });
        const claimed = await store.claimNextQueued();
        assert.ok(claimed);
        const scan =
          outcome === 'failed'
            ? await store.failScan(claimed.id, 'the AWS credentials were refused.')
            : await store.finishScan(claimed.id, {
                report: report(outcome),
                snapshot: '{}',
                suppressions: '',
                startedAt: next(),
                finishedAt: next(),
              });
        assert.ok(scan);
        // failScan stamps the wall clock; keep the order of this test's clock.
        if (outcome === 'failed') {
          await store.db
            .updateTable('scans')
            .set({ finished_at: next() })
            .where('id', '=', scan.id)
            .execute();
          scan.finishedAt = (await store.getScan(scan.id))?.finishedAt ?? null;
        }
        await alerter.afterScan(scan);
        return sent.splice(0).join(', ');
      };
      assert.equal(await run('PASS'), '', 'baseline');
      assert.equal(await run('FAIL'), 'webhook regressed, sns regressed');
      assert.equal(await run('FAIL'), '', 'unchanged');
      assert.equal(await run('failed'), 'webhook unassessable, sns unassessable');
      assert.equal(await run('failed'), '', 'still failing');
      assert.equal(await run('PASS'), 'webhook recovered, sns recovered');
      assert.equal(await run('PASS'), '', 'unchanged');

      const alerts = await store.listAlerts();
      assert.deepEqual(alerts.map((a) => a.kind).sort(), ['recovered', 'regressed', 'unassessable']);
      const regressed = alerts.find((a) => a.kind === 'regressed');
      assert.deepEqual(regressed?.deliveries, [
        { destination: 'webhook https://hooks.example/…', ok: true, attempts: 1 },
        {
          destination: 'sns arn:aws:sns:us-east-1:111122223333:t',
          ok: false,
          attempts: 3,
          error: 'AuthorizationError',
        },
      ]);
      assert.match((regressed?.body as AlertMessage).text, /http:\/\/dash\.example\/scans\//);
      // The webhook's secret path is neither stored nor logged.
      assert.ok(!JSON.stringify(alerts).includes('SECRET'));
      assert.ok(!logs.join('\n').includes('SECRET'));
      assert.ok(
        logs.some((l) =>
          /could not be sent to sns arn:aws:sns:us-east-1:111122223333:t: AuthorizationError/.test(l),
        ),
      );
      // The scans stand as they were stored.
      const statuses = (await store.listScans()).map((s) => s.status).sort();
      assert.deepEqual(statuses, ['done', 'done', 'done', 'done', 'done', 'failed', 'failed']);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
