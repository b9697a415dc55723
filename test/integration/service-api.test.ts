/**
 * `trailcheck serve` as a user meets it: started as a process on a free loopback port with its own data
 * directory, scanning moto through the standard credential chain, answering its JSON API. The flow: a
 * baseline scan, a regression, what changed, history, every report format, tokens and roles,
 * suppressions, schedules, and one-line refusals of bad input.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { JsonReportSchema } from '../../src/report/json.js';
import { DiffReportSchema } from '../../src/report/diff.js';
import { FORMATS } from '../../src/report/index.js';
import { motoEnv } from '../support/aws.js';
import { useMoto } from '../support/moto-suite.js';
import { createTrail, createTrailBucket } from '../support/scenarios/builders.js';
import { api, scanNow, startServe } from '../support/service.js';
import type { ServeProcess } from '../support/service.js';

const TOKEN = 'tc_test-admin-token-for-the-api-suite';
const REQUEST = { regions: ['us-east-1'], controls: ['CloudTrail.1', 'CloudTrail.4', 'CloudTrail.5'] };

describe('trailcheck serve: the API', () => {
  const suite = useMoto();
  let dir: string;
  let serve: ServeProcess;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailcheck-serve-'));
    serve = await startServe(['--data', join(dir, 'data')], {
      ...motoEnv(suite.moto),
      TRAILCHECK_API_TOKEN: TOKEN,
    });
  });
  after(async () => {
    const { code } = await serve.stop('SIGTERM');
    assert.equal(code, 0, serve.stderr());
    await rm(dir, { recursive: true, force: true });
  });

  it('answers /healthz without a token and everything else only with one, in one line', async () => {
    const health = await api(serve.url, undefined, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.equal((health.body as { ok: boolean }).ok, true);
    for (const token of [undefined, 'tc_wrong']) {
      const denied = await api<{ error: string }>(serve.url, token, 'GET', '/api/scans');
      assert.equal(denied.status, 401);
      assert.match(denied.body.error, /^give a token/);
      assert.doesNotMatch(denied.body.error, /\n/);
    }
    // TRAILCHECK_API_TOKEN is the admin token: no other token was made or shown.
    assert.doesNotMatch(serve.stderr(), /admin token, shown/);
    const openapi = await api<{ openapi: string; paths: Record<string, unknown> }>(
      serve.url,
      TOKEN,
      'GET',
      '/api/openapi.json',
    );
    assert.equal(openapi.status, 200);
    assert.equal(openapi.body.openapi, '3.1.0');
    for (const path of [
      '/healthz',
      '/api/scans',
      '/api/scans/{id}',
      '/api/scans/{id}/report',
      '/api/diff',
      '/api/schedules',
      '/api/suppressions',
    ])
      assert.ok(openapi.body.paths[path], path);
  });

  it('keeps each scan whole, says what changed since the previous one, and serves every report format', async () => {
    await createTrailBucket(suite.aws, 'audit-logs', 'Audit');
    await createTrail(suite.aws, {
      name: 'Audit',
      bucket: 'audit-logs',
      multiRegion: true,
      logFileValidation: true,
    });
    const first = await scanNow(serve.url, TOKEN, REQUEST);
    assert.equal(first.status, 'done', first.error ?? '');
    assert.equal(first.trigger, 'api:TRAILCHECK_API_TOKEN');
    assert.equal(first.pretty_result, 'The probe executed successfully!');

    await suite.aws.cloudtrail().send(new StopLoggingCommand({ Name: 'Audit' }));
    const second = await scanNow(serve.url, TOKEN, REQUEST);
    assert.equal(second.status, 'done', second.error ?? '');
    assert.equal(second.integer_result, 1);

    // Newest first.
    const list = await api<{ scans: Array<{ id: string }> }>(serve.url, TOKEN, 'GET', '/api/scans');
    assert.deepEqual(
      list.body.scans.slice(0, 2).map((s) => s.id),
      [second.id, first.id],
    );

    // What changed: the trail stopped logging, so the account newly fails CloudTrail.1 (a logging multi-Region trail).
    const changes = await api<{ old: string; diff: unknown }>(
      serve.url,
      TOKEN,
      'GET',
      `/api/scans/${second.id}/changes`,
    );
    assert.equal(changes.status, 200);
    assert.equal(changes.body.old, first.id);
    const diff = DiffReportSchema.parse(changes.body.diff);
    assert.ok(
      diff.newlyFailing.some(
        (c) => c.control === 'CloudTrail.1' && c.before === 'PASS' && /Audit is not logging/.test(c.message),
      ),
      JSON.stringify(diff.newlyFailing),
    );
    const direct = await api(serve.url, TOKEN, 'GET', `/api/diff?old=${first.id}&new=${second.id}`);
    assert.deepEqual(direct.body, changes.body);

    // History of the control: FAIL now, PASS before.
    const history = await api<{ points: Array<{ scanId: string; status: string }> }>(
      serve.url,
      TOKEN,
      'GET',
      '/api/history/controls/CloudTrail.1',
    );
    assert.deepEqual(
      history.body.points.slice(0, 2).map((p) => [p.scanId, p.status]),
      [
        [second.id, 'FAIL'],
        [first.id, 'PASS'],
      ],
    );

    // The same as one point per scan: how many accounts passed, failed, were unknown.
    const series = await api<{ series: Array<{ scanId: string; PASS: number; FAIL: number }> }>(
      serve.url,
      TOKEN,
      'GET',
      '/api/history/controls/CloudTrail.1?view=series',
    );
    assert.deepEqual(
      series.body.series.slice(0, 2).map((p) => [p.scanId, p.PASS, p.FAIL]),
      [
        [second.id, 0, 1],
        [first.id, 1, 0],
      ],
    );
    const badView = await api<{ error: string }>(
      serve.url,
      TOKEN,
      'GET',
      '/api/history/accounts/1?view=chart',
    );
    assert.equal(badView.status, 400);
    assert.equal(badView.body.error, 'view must be points or series');

    // Every report format; JSON is the stored contract.
    const json = await api(serve.url, TOKEN, 'GET', `/api/scans/${second.id}/report?format=json`);
    const report = JsonReportSchema.parse(json.body);
    assert.equal(report.integer_result, 1);
    for (const format of FORMATS) {
      const answer = await api(serve.url, TOKEN, 'GET', `/api/scans/${second.id}/report?format=${format}`);
      assert.equal(answer.status, 200, `${format}: ${answer.text.slice(0, 200)}`);
      assert.ok(answer.text.includes('Audit'), `${format} names the trail`);
    }
    const html = await api(serve.url, TOKEN, 'GET', `/api/scans/${second.id}/report?format=html&download=1`);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.headers.get('content-disposition') ?? '', /attachment; filename="trailcheck\.html"/);
    const unknown = await api<{ error: string }>(
      serve.url,
      TOKEN,
      'GET',
      `/api/scans/${second.id}/report?format=pdf`,
    );
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /unknown format 'pdf'; choose one of: text, markdown, html/);
  });

  it('lets a read-only token look but not act', async () => {
    const made = await api<{ token: string; role: string }>(serve.url, TOKEN, 'POST', '/api/tokens', {
      name: 'auditor',
      role: 'read',
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.role, 'read');
    const reader = made.body.token;
    assert.equal((await api(serve.url, reader, 'GET', '/api/scans')).status, 200);
    const refused = await api<{ error: string }>(serve.url, reader, 'POST', '/api/scans', {});
    assert.equal(refused.status, 403);
    assert.match(refused.body.error, /the token 'auditor' may only read/);
    assert.equal((await api(serve.url, reader, 'GET', '/api/tokens')).status, 403);
  });

  it('applies suppressions to the next scan and ends them on request', async () => {
    await createTrailBucket(suite.aws, 'audit-logs', 'Audit');
    await createTrail(suite.aws, { name: 'Audit', bucket: 'audit-logs', multiRegion: true, logging: false });
    const created = await api<{ id: string }>(serve.url, TOKEN, 'POST', '/api/suppressions', {
      control: 'CloudTrail.1',
      resource: '*',
      reason: 'being rebuilt this week',
      expires: '2099-12-31',
    });
    assert.equal(created.status, 201);
    const scan = await scanNow(serve.url, TOKEN, REQUEST);
    const report = JsonReportSchema.parse(
      (await api(serve.url, TOKEN, 'GET', `/api/scans/${scan.id}/report?format=json`)).body,
    );
    const finding = report.findings.find((f) => f.control === 'CloudTrail.1');
    assert.equal(finding?.status, 'FAIL');
    assert.equal(finding?.suppressed?.reason, 'being rebuilt this week');
    const ended = await api(serve.url, TOKEN, 'POST', `/api/suppressions/${created.body.id}/expire`);
    assert.equal(ended.status, 200);
    const listed = await api<{ suppressions: Array<{ id: string; revokedAt: string | null }> }>(
      serve.url,
      TOKEN,
      'GET',
      '/api/suppressions',
    );
    assert.ok(listed.body.suppressions.find((s) => s.id === created.body.id)?.revokedAt);
    assert.equal(
      (await api(serve.url, TOKEN, 'POST', `/api/suppressions/${created.body.id}/expire`)).status,
      404,
    );
    const bad = await api<{ error: string }>(serve.url, TOKEN, 'POST', '/api/suppressions', {
      control: 'CloudTrail.99',
      resource: '*',
      reason: 'x',
      expires: '2099-12-31',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^control: unknown control 'CloudTrail.99'/);
  });

  it('keeps schedules, runs one on request, and refuses a bad one in one line', async () => {
    const made = await api<{ id: string; nextRunAt: string }>(serve.url, TOKEN, 'POST', '/api/schedules', {
      name: 'daily',
      cron: '0 6 * * *',
      request: REQUEST,
    });
    assert.equal(made.status, 201, made.text);
    assert.match(made.body.nextRunAt, /T06:00:00\.000Z$/);
    const run = await api<{ id: string }>(serve.url, TOKEN, 'POST', `/api/schedules/${made.body.id}/run`);
    assert.equal(run.status, 202);
    const scan = await api<{ trigger: string }>(serve.url, TOKEN, 'GET', `/api/scans/${run.body.id}`);
    assert.match(scan.body.trigger, /^schedule:daily \(run now by TRAILCHECK_API_TOKEN\)$/);
    for (const [body, message] of [
      [{ name: 'x', cron: 'every day' }, /'every day' is not a cron expression/],
      [{ name: 'x', intervalSeconds: 5 }, /intervalSeconds must be a whole number of at least 60/],
      [{ name: 'x', cron: '0 6 * * *', intervalSeconds: 600 }, /give either cron/],
      [{ name: 'daily', intervalSeconds: 600 }, /a schedule named 'daily' exists already/],
      [
        { name: 'x', intervalSeconds: 600, request: { regions: ['mars-1'] } },
        /'mars-1' is not an AWS Region name/,
      ],
    ] as const) {
      const refused = await api<{ error: string }>(serve.url, TOKEN, 'POST', '/api/schedules', body);
      assert.ok(refused.status === 400 || refused.status === 409, refused.text);
      assert.match(refused.body.error, message);
    }
    assert.equal((await api(serve.url, TOKEN, 'DELETE', `/api/schedules/${made.body.id}`)).status, 204);
  });

  it('refuses a bad scan request in one line before queueing it', async () => {
    for (const [body, message] of [
      [{ controls: ['Nope.1'] }, /unknown control/i],
      [{ regions: ['mars-1'] }, /'mars-1' is not an AWS Region name/],
      [{ colour: 'red' }, /Unrecognized key/],
      [{ regions: 'us-east-1' }, /^regions: /],
    ] as const) {
      const refused = await api<{ error: string }>(serve.url, TOKEN, 'POST', '/api/scans', body);
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.body.error, message);
      assert.doesNotMatch(refused.body.error, /\n/);
    }
    assert.equal((await api(serve.url, TOKEN, 'GET', '/api/scans/nope')).status, 404);
  });
});
