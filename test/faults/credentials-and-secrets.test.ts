/**
 * Credentials that stop working, and credentials that must never show: expired session tokens, a wrong
 * secret, an SSO session that expired, a profile without keys, each one clear line and exit 3; and no
 * access key id or secret in anything a run writes (stdout, stderr, reports, snapshots), even when AWS
 * echoes the key id in its error messages.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { JsonReportSchema } from '../../src/report/json.js';
import { motoEnv } from '../support/aws.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { compliantScenario } from '../support/scenarios/compliant.js';

const suite = useFaultProxy();

/** Distinctive values, so a leak cannot hide behind a coincidence. */
const SECRET_KEYS = {
  accessKeyId: 'AKIA7LEAKCHECK7X9Q2Z',
  secretAccessKey: 'Zq8+leak/check/SECRET/value/9f3kW0pLmN2x',
};
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjELEAKCHECKSESSIONTOKEN0123456789abcdefSECRET';

function proxyEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...motoEnv(suite.moto, SECRET_KEYS), AWS_ENDPOINT_URL: suite.proxy.endpoint, ...extra };
}

function assertOneLine(result: CliResult, code: number, pattern: RegExp) {
  assert.equal(result.code, code, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, pattern);
}

describe('credentials that stop working', () => {
  it('an expired session token: exit 3, one line saying to refresh it', async () => {
    suite.proxy.addRule({
      operation: 'GetCallerIdentity',
      fault: {
        kind: 'error',
        status: 403,
        code: 'ExpiredToken',
        message: 'The security token included in the request is expired',
      },
    });
    const result = await runTrailcheck(['scan'], proxyEnv({ AWS_SESSION_TOKEN: SESSION_TOKEN }));
    assertOneLine(
      result,
      3,
      /^trailcheck: AWS rejected the credentials \(ExpiredToken\): they are invalid or expired\. Refresh them/,
    );
  });

  it('a session that expires during the scan: what it could not read is UNKNOWN with the reason, never PASS', async () => {
    await compliantScenario(suite.aws);
    // Expired after the account and Regions were read: every read of evidence after that is refused.
    const expired = {
      kind: 'error',
      status: 400,
      code: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    } as const;
    for (const service of ['cloudtrail', 'kms', 'config']) suite.proxy.addRule({ service, fault: expired });
    for (const operation of ['DescribeVpcs', 'DescribeFlowLogs'])
      suite.proxy.addRule({ operation, fault: expired });
    const result = await runTrailcheck(
      ['scan', '--region', 'us-east-1,eu-west-1', '--format', 'json'],
      proxyEnv(),
    );
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(
      report.controls.map((c) => c.status),
      report.controls.map(() => 'UNKNOWN'),
    );
    assert.ok(report.findings.every((f) => f.evidence.some((e) => e.error?.kind === 'invalid-credentials')));
  });

  it('a key id moto knows with the wrong secret: exit 3, AWS rejected the credentials', async () => {
    const iam = suite.aws.iam();
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    await suite.moto.enforceIam();
    const env = {
      ...motoEnv(suite.moto),
      AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: 'not-the-secret',
    };
    const result = await runTrailcheck(['scan'], env);
    assertOneLine(result, 3, /^trailcheck: AWS rejected the credentials \(SignatureDoesNotMatch\)/);
  });

  it('an SSO profile whose session expired: exit 3, naming the profile and aws sso login', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-sso-'));
    await writeFile(
      join(dir, 'config'),
      '[profile audit]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Audit\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://example.invalid/start\nsso_region = us-east-1\n',
    );
    await writeFile(join(dir, 'credentials'), '');
    const env = bareEnv({
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL: suite.moto.endpoint,
    });
    const result = await runTrailcheck(['scan', '--profile', 'audit'], env);
    assertOneLine(
      result,
      3,
      /^trailcheck: AWS profile 'audit' has no usable credentials \(.*SSO.*\)\. Run 'aws sso login --profile audit'/,
    );
  });

  it('a profile with a Region but no keys: exit 3, naming the profile rather than asking for one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-nokeys-'));
    await writeFile(join(dir, 'config'), '[profile bare]\nregion = us-east-1\n');
    await writeFile(join(dir, 'credentials'), '');
    const env = bareEnv({
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL: suite.moto.endpoint,
    });
    const result = await runTrailcheck(['scan', '--profile', 'bare'], env);
    assertOneLine(result, 3, /^trailcheck: AWS profile 'bare' has no usable credentials/);
  });
});

describe('no secret in any output', () => {
  it('stdout, stderr, reports and snapshots never contain the access key id, secret or session token', async (t) => {
    await compliantScenario(suite.aws);
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-secrets-'));
    const env = proxyEnv({ AWS_SESSION_TOKEN: SESSION_TOKEN, TRAILCHECK_DEBUG: '1' });
    const regions = ['--region', 'us-east-1,eu-west-1'];
    const results: CliResult[] = [];
    const run = async (args: string[], runEnv = env) => results.push(await runTrailcheck(args, runEnv));

    await run(['collect', ...regions, '-o', join(dir, 'snapshot.json')]);
    for (const format of ['json', 'markdown', 'text']) {
      await run(['scan', ...regions, '--format', format, '-o', join(dir, `report.${format}`)]);
      await run(['scan', ...regions, '--format', format]);
    }
    await run([
      'scan',
      '--snapshot',
      join(dir, 'snapshot.json'),
      '--format',
      'markdown',
      '-o',
      join(dir, 'replay.md'),
    ]);

    // AWS echoes the caller's key id in some errors (S3's SignatureDoesNotMatch, IAM's "User: … is not
    // authorized"): make every kind of call do it, in the message and in the code.
    const echo = `The request signature we calculated does not match. AWSAccessKeyId: ${SECRET_KEYS.accessKeyId} Credential=${SECRET_KEYS.accessKeyId}/20261124/us-east-1/s3/aws4_request`;
    suite.proxy.addRule({
      operation: 'GetBucketLogging',
      fault: { kind: 'error', status: 403, code: 'SignatureDoesNotMatch', message: echo },
    });
    suite.proxy.addRule({
      operation: 'GetTrailStatus',
      fault: { kind: 'error', status: 400, code: 'AccessDeniedException', message: echo },
    });
    suite.proxy.addRule({
      operation: 'DescribeTrails',
      region: 'eu-west-1',
      fault: { kind: 'status', status: 500, body: echo },
    });
    await run(['collect', ...regions, '-o', join(dir, 'echo-snapshot.json')]);
    await run(['scan', ...regions, '--format', 'json', '-o', join(dir, 'echo-report.json')]);
    await run(['scan', ...regions, '--format', 'markdown']);
    suite.proxy.clearRules();
    suite.proxy.addRule({
      operation: 'GetCallerIdentity',
      fault: { kind: 'error', status: 403, code: 'InvalidClientTokenId', message: echo },
    });
    await run(['scan', '--format', 'json']);
    await run(['scan']);

    const files = await readdir(dir);
    const written = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    const outputs = [...results.flatMap((r) => [r.stdout, r.stderr]), ...written];
    assert.ok(
      written.some((text) => text.includes('AKIA…(redacted)')),
      'the echoed key id reached the outputs, redacted',
    );
    const leaks = outputs.filter((text) =>
      [SECRET_KEYS.accessKeyId, SECRET_KEYS.secretAccessKey, SESSION_TOKEN].some((secret) =>
        text.includes(secret),
      ),
    );
    t.diagnostic(
      `secret scan: ${results.length} runs, ${files.length} files, ${outputs.length} outputs searched, leaks: ${leaks.length}`,
    );
    assert.equal(leaks.length, 0, leaks.join('\n---\n').slice(0, 2000));
  });
});
