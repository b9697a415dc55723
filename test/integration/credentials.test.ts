/**
 * The standard AWS credential chain, end to end through the CLI: named profiles from the shared files,
 * profiles that assume a role, and per-service endpoint variables.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonReportSchema } from '../../src/report/json.js';
import { TEST_CREDENTIALS, motoEnv } from '../support/aws.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';
import { useMoto } from '../support/moto-suite.js';
import { seedScenario } from '../support/scenarios/seed.js';

const suite = useMoto();

async function awsFiles(config: string, credentials: string) {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-aws-'));
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  await writeFile(configFile, config);
  await writeFile(credentialsFile, credentials);
  return { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };
}

const SEED_CONTROLS = ['--controls', 'CloudTrail.1,CloudTrail.2,CloudTrail.4,CloudTrail.7'];

const baseCredentials = `[base]\naws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}\n`;

describe('credential chain', () => {
  it('--profile reads keys and Region from the shared files', async () => {
    await seedScenario(suite.aws);
    const files = await awsFiles('[profile base]\nregion = us-east-1\n', baseCredentials);
    const env = bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, ...files });
    const result = await runTrailcheck(
      ['scan', ...SEED_CONTROLS, '--profile', 'base', '--region', 'us-east-1', '--format', 'json'],
      env,
    );
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(report.summary, { PASS: 2, FAIL: 2, UNKNOWN: 0, total: 4, suppressed: 0 });
  });

  it('AWS_PROFILE works like --profile', async () => {
    const files = await awsFiles('[profile base]\nregion = us-east-1\n', baseCredentials);
    const env = bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, AWS_PROFILE: 'base', ...files });
    const result = await runTrailcheck(['scan', '--region', 'us-east-1', '--format', 'json'], env);
    assert.equal(JsonReportSchema.parse(JSON.parse(result.stdout)).account, '123456789012');
  });

  it('a profile that assumes a role scans the role’s account', async () => {
    const files = await awsFiles(
      '[profile auditor]\nrole_arn = arn:aws:iam::111111111111:role/audit\nsource_profile = base\nregion = us-east-1\n',
      baseCredentials,
    );
    const env = bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, ...files });
    const result = await runTrailcheck(
      ['scan', '--profile', 'auditor', '--region', 'us-east-1', '--format', 'json'],
      env,
    );
    assert.equal(result.code, 1, result.stderr);
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.equal(report.account, '111111111111');
    assert.equal(report.findings[0]?.status, 'FAIL', 'the role’s account has no trail');
  });

  it('per-service endpoint variables alone are enough', async () => {
    await seedScenario(suite.aws);
    const env = motoEnv(suite.moto);
    delete env.AWS_ENDPOINT_URL;
    for (const service of ['STS', 'EC2', 'CLOUDTRAIL', 'S3'])
      env[`AWS_ENDPOINT_URL_${service}`] = suite.moto.endpoint;
    const result = await runTrailcheck(
      ['scan', ...SEED_CONTROLS, '--region', 'us-east-1', '--format', 'json'],
      env,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(JsonReportSchema.parse(JSON.parse(result.stdout)).summary, {
      PASS: 2,
      FAIL: 2,
      UNKNOWN: 0,
      total: 4,
      suppressed: 0,
    });
  });
});
