/**
 * `trailcheck serve` alerts, end to end: the real CLI serving on moto, a loopback webhook receiver and a
 * moto SNS topic (moto delivers the topic's messages to an http subscription: the same receiver). Four
 * scans of one account: the baseline says nothing, a trail that stops logging is announced once at both
 * destinations, the same failure again says nothing, and the fix is announced once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { TEST_CREDENTIALS, motoEnv, seedClients } from '../support/aws.js';
import { CLI, bareEnv, runTrailcheck } from '../support/cli.js';
import { MotoServer } from '../support/moto.js';
import { createTrail, createTrailBucket } from '../support/scenarios/builders.js';

const TOKEN = 'tc_integration-test-admin-token-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  path: string;
  body: string;
}

describe('trailcheck serve: alerts once per change, to a webhook and to SNS', { timeout: 120_000 }, () => {
  let moto: MotoServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];
  let serve: ChildProcess | undefined;
  let serveOutput = '';
  let dataDir = '';

  before(async () => {
    moto = await MotoServer.start();
    await moto.reset();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dataDir = await mkdtemp(join(tmpdir(), 'trailcheck-serve-alerts-'));
  });

  after(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve?.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    receiver.closeAllConnections();
    receiver.close();
    await moto.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('baseline: nothing; regression: one alert at each destination; unchanged: nothing; fixed: one recovery', async () => {
    const aws = seedClients(moto);
    await createTrailBucket(aws, 'logs-us-east-1', 'trail-us-east-1');
    await createTrail(aws, { name: 'trail-us-east-1', bucket: 'logs-us-east-1' });
    const sns = new SNSClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const topic = await sns.send(new CreateTopicCommand({ Name: 'trailcheck-alerts' }));
    const topicArn = topic.TopicArn ?? '';
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${receiverUrl}/sns` }),
    );
    sns.destroy();

    serve = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--port',
        '0',
        '--data',
        dataDir,
        '--alert-webhook',
        `${receiverUrl}/hook/T0/SECRET`,
        '--alert-sns-topic',
        topicArn,
      ],
      { env: { ...motoEnv(moto), TRAILCHECK_API_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    serve.stdout?.on('data', (chunk: Buffer) => (serveOutput += chunk.toString()));
    serve.stderr?.on('data', (chunk: Buffer) => (serveOutput += chunk.toString()));
    let url = '';
    for (let i = 0; i < 200 && url === ''; i++) {
      url = /serving on (http:\/\/\S+) /.exec(serveOutput)?.[1] ?? '';
      if (url === '') await sleep(100);
    }
    assert.ok(url, `serve did not start:\n${serveOutput}`);

    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}\n${serveOutput}`);
      return (await response.json()) as Record<string, unknown>;
    };
    /** Runs one scan and waits until it and what follows it (alerts) are over. */
    const scan = async (): Promise<string> => {
      const created = await api('/api/scans', {
        method: 'POST',
        body: JSON.stringify({ regions: ['us-east-1'], controls: ['CloudTrail.3'] }),
      });
      const id = String(created.id);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const view = await api(`/api/scans/${id}`);
        const health = await api('/healthz');
        // Done is stored before the alerts are sent; the queue lets the scan go only after them.
        if (view.status === 'done' && health.runningScans === 0) return id;
        assert.notEqual(view.status, 'failed', `scan failed: ${JSON.stringify(view)}`);
        assert.ok(Date.now() < deadline, `scan ${id} did not finish:\n${serveOutput}`);
        await sleep(100);
      }
    };
    const alerts = async () =>
      (
        (await api('/api/alerts')).alerts as Array<{ scanId: string; kind: string; deliveries: unknown[] }>
      ).reverse();
    const at = (path: string) => received.filter((r) => r.path.startsWith(path));

    await scan();
    assert.deepEqual(await alerts(), [], 'the first scan is the baseline');
    assert.deepEqual(received, []);

    await aws.cloudtrail().send(new StopLoggingCommand({ Name: 'trail-us-east-1' }));
    const broken = await scan();
    const afterBreak = await alerts();
    assert.deepEqual(
      afterBreak.map((a) => [a.scanId, a.kind]),
      [[broken, 'regressed']],
    );
    assert.equal(at('/hook/T0/SECRET').length, 1, JSON.stringify(received));
    assert.equal(at('/sns').length, 1, JSON.stringify(received));
    const slack = JSON.parse(at('/hook/')[0]?.body ?? '{}') as { text?: string; blocks?: unknown[] };
    assert.match(slack.text ?? '', /1 finding got worse in account 123456789012/);
    assert.match(
      JSON.stringify(slack.blocks),
      /CloudTrail\.3\* \(high\) account 123456789012 in us-east-1: PASS → \*FAIL\*/,
    );
    assert.match(JSON.stringify(slack.blocks), new RegExp(`${url}/scans/${broken}\\|`));
    const published = JSON.parse(at('/sns')[0]?.body ?? '{}') as {
      Subject?: string;
      Message?: string;
      TopicArn?: string;
    };
    assert.equal(published.TopicArn, topicArn);
    assert.equal(published.Subject, 'trailcheck: 1 finding got worse in account 123456789012');
    assert.match(
      published.Message ?? '',
      /CloudTrail\.3 \(high\) account 123456789012 in us-east-1: PASS → FAIL/,
    );
    assert.match(published.Message ?? '', new RegExp(`${url}/scans/${broken}`));
    assert.ok(afterBreak[0]?.deliveries.every((d) => (d as { ok: boolean }).ok));

    await scan();
    assert.equal((await alerts()).length, 1, 'the same failure again: no new alert');
    assert.equal(received.length, 2);

    await aws.cloudtrail().send(new StartLoggingCommand({ Name: 'trail-us-east-1' }));
    const fixed = await scan();
    const afterFix = await alerts();
    assert.deepEqual(
      afterFix.map((a) => [a.scanId, a.kind]),
      [
        [broken, 'regressed'],
        [fixed, 'recovered'],
      ],
    );
    assert.equal(at('/hook/').length, 2);
    assert.equal(at('/sns').length, 2);
    const recovered = JSON.parse(at('/sns')[1]?.body ?? '{}') as { Subject?: string; Message?: string };
    assert.equal(recovered.Subject, 'trailcheck: 1 finding recovered in account 123456789012');
    assert.match(recovered.Message ?? '', /FAIL → PASS/);
    // The webhook's secret path stays out of what the API shows and the log.
    assert.ok(!JSON.stringify(afterFix).includes('SECRET'));
    assert.ok(!serveOutput.includes('SECRET'), serveOutput);
  });
});

describe('trailcheck serve: a bad alert destination', () => {
  for (const [flag, value, pattern] of [
    [
      '--alert-webhook',
      'file:///etc/passwd',
      /--alert-webhook takes an http:\/\/ or https:\/\/ URL, not a file: one/,
    ],
    ['--alert-webhook', 'https://ok.example/a,gopher://x', /not a gopher: one/],
    ['--alert-sns-topic', 'arn:aws:sqs:us-east-1:111122223333:q', /--alert-sns-topic takes an SNS topic ARN/],
  ] as const)
    it(`${flag} ${value}: one line, exit 2, nothing started`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trailcheck-serve-bad-alert-'));
      try {
        const result = await runTrailcheck(
          ['serve', '--port', '0', '--data', join(dir, 'data'), flag, value],
          bareEnv(),
        );
        assert.equal(result.code, 2, result.stderr);
        const lines = result.stderr.trim().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0] ?? '', pattern);
        assert.doesNotMatch(result.stderr, /\bat \S+:\d+/);
        assert.ok(!existsSync(join(dir, 'data')), 'checked before the store is opened');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

  it('TRAILCHECK_ALERT_WEBHOOK is checked the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-serve-bad-alert-'));
    try {
      const result = await runTrailcheck(
        ['serve', '--port', '0', '--data', join(dir, 'data')],
        bareEnv({ TRAILCHECK_ALERT_WEBHOOK: 'javascript:alert(1)' }),
      );
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        /^trailcheck: --alert-webhook takes an http:\/\/ or https:\/\/ URL, not a javascript: one/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
