import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../util/errors.js';
import { parseCommandLine, parseConfig } from './config.js';
import { SCAN_HELP } from './help.js';
import type { CliIO } from './io.js';
import {
  ACCESS_OPTIONS,
  ASSESS_OPTIONS,
  REPORT_OPTIONS,
  SELECTION_OPTIONS,
  SETTINGS,
  configKeyOf,
  envVarOf,
} from './options.js';
import type { SettingName } from './options.js';

const SCAN_LIKE = {
  ...ACCESS_OPTIONS,
  ...REPORT_OPTIONS,
  ...SELECTION_OPTIONS,
  ...ASSESS_OPTIONS,
  snapshot: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function io(env: NodeJS.ProcessEnv = {}): CliIO {
  return { stdout: () => undefined, stderr: () => undefined, env };
}

function rejects(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-config-'));
  const path = join(dir, 'trailcheck.config.yaml');
  await writeFile(path, text);
  return path;
}

describe('the config file', () => {
  it('takes every setting, lists as YAML lists, paths relative to the file', () => {
    const { values } = parseConfig(
      [
        'regions: [eu-west-1, us-east-1]',
        'controls: CloudTrail.1,CloudTrail.4',
        'framework: cis-5.0',
        'ignore: accepted.yaml',
        'format: [html, json]',
        'output-dir: reports',
        'output-name: audit',
        'audience: executive',
        'fail-on: high',
        'profile: audit',
        'timeout: 60',
        'required-tags: [Owner, CostCenter]',
        'retention-days: 400',
        'max-delivery-age: 12',
      ].join('\n'),
      'c.yaml',
      '/etc/trail',
    );
    assert.deepEqual(values, {
      region: 'eu-west-1,us-east-1',
      controls: 'CloudTrail.1,CloudTrail.4',
      framework: 'cis-5.0',
      ignore: '/etc/trail/accepted.yaml',
      format: 'html,json',
      'output-dir': '/etc/trail/reports',
      'output-name': 'audit',
      audience: 'executive',
      'fail-on': 'high',
      profile: 'audit',
      timeout: '60',
      'required-tags': 'Owner,CostCenter',
      'retention-days': '400',
      'max-delivery-age': '12',
    });
  });

  it('an empty file sets nothing', () => {
    assert.deepEqual(parseConfig('# nothing yet\n', 'c.yaml', '/').values, {});
  });

  it('refuses an unknown key in one line naming the file, the key and the keys there are', () => {
    rejects(
      () => parseConfig('region: eu-west-1\n', 'my.yaml', '/'),
      /^config file my\.yaml: unknown key 'region'; the keys are profile, regions, timeout, controls/,
    );
  });

  it('refuses a wrong type or value, naming the key and what is allowed', () => {
    rejects(
      () => parseConfig('timeout: [1]\n', 'c.yaml', '/'),
      /^config file c\.yaml: 'timeout' must be a number \(it is a list\)/,
    );
    rejects(
      () => parseConfig('timeout: 9999\n', 'c.yaml', '/'),
      /'timeout': --timeout needs a number of seconds from 1 to 3600/,
    );
    rejects(
      () => parseConfig('timeout: soon\n', 'c.yaml', '/'),
      /'timeout': --timeout needs a number of seconds/,
    );
    rejects(
      () => parseConfig('format: pdf\n', 'c.yaml', '/'),
      /'format': unknown format 'pdf'; choose one of: text, markdown/,
    );
    rejects(
      () => parseConfig('framework: cis-9\n', 'c.yaml', '/'),
      /'framework': unknown framework 'cis-9'; choose one of: securityhub, cis-1\.2/,
    );
    rejects(
      () => parseConfig('controls: [CloudTrail.99]\n', 'c.yaml', '/'),
      /'controls': unknown control 'CloudTrail\.99'/,
    );
    rejects(() => parseConfig('regions: {a: 1}\n', 'c.yaml', '/'), /'regions' must be a list of strings/);
    rejects(
      () => parseConfig('output-name: ../up\n', 'c.yaml', '/'),
      /'output-name': --output-name takes a plain file name/,
    );
    rejects(() => parseConfig('- a\n', 'c.yaml', '/'), /must be a mapping of settings/);
    rejects(
      () => parseConfig('a: [\n', 'c.yaml', '/'),
      /^config file c\.yaml is not valid YAML: .*\(line \d+, column \d+\)\.$/,
    );
    rejects(() => parseConfig('profile: a\nprofile: b\n', 'c.yaml', '/'), /not valid YAML/);
  });
});

describe('defaults for flags', () => {
  it('a flag wins over the environment, the environment over the file, the file over nothing', async () => {
    const path = await configFile('format: html\naudience: executive\nfail-on: high\n');
    const values = await parseCommandLine(
      'scan',
      ['--config', path, '--format', 'json'],
      SCAN_LIKE,
      io({ TRAILCHECK_FORMAT: 'csv', TRAILCHECK_AUDIENCE: 'engineer' }),
    );
    assert.equal(values.format, 'json');
    assert.equal(values.audience, 'engineer');
    assert.equal(values['fail-on'], 'high');
    assert.equal(values['max-delivery-age'], undefined);
  });

  it('finds the file through TRAILCHECK_CONFIG; an empty variable counts as unset', async () => {
    const path = await configFile('regions: [eu-west-1]\n');
    const values = await parseCommandLine(
      'scan',
      [],
      SCAN_LIKE,
      io({ TRAILCHECK_CONFIG: path, TRAILCHECK_REGION: '' }),
    );
    assert.equal(values.region, 'eu-west-1');
  });

  it('checks a value from the environment as its flag is checked, naming the variable', async () => {
    await assert.rejects(
      parseCommandLine('scan', [], SCAN_LIKE, io({ TRAILCHECK_FAIL_ON: 'severe' })),
      /^UsageError: TRAILCHECK_FAIL_ON: unknown --fail-on level 'severe'; choose one of: low, medium, high, critical\.$/,
    );
    await assert.rejects(
      parseCommandLine('scan', [], SCAN_LIKE, io({ TRAILCHECK_PROFILE: 'a\u001b[2Jb' })),
      /TRAILCHECK_PROFILE contains the control character/,
    );
  });

  it('does not give a command a setting it does not take, nor --snapshot the AWS access settings', async () => {
    const env = {
      TRAILCHECK_FORMAT: 'html',
      TRAILCHECK_REGION: 'eu-west-1',
      TRAILCHECK_CONTROLS: 'CloudTrail.4',
    };
    const plan = await parseCommandLine(
      'plan',
      [],
      { format: { type: 'string', short: 'f' }, ...SELECTION_OPTIONS },
      io(env),
    );
    assert.equal(plan.format, undefined, "plan's own --format is not the report format");
    assert.equal(plan.controls, 'CloudTrail.4');
    const offline = await parseCommandLine('scan', ['--snapshot', 's.json'], SCAN_LIKE, io(env));
    assert.equal(offline.region, undefined);
  });

  it('--help works whatever the config file says', async () => {
    const path = await configFile('bogus: 1\n');
    const values = await parseCommandLine('scan', ['--help'], SCAN_LIKE, io({ TRAILCHECK_CONFIG: path }));
    assert.equal(values.help, true);
  });

  it('one declaration per setting gives its flag, variable, config key and help line', () => {
    for (const name of Object.keys(SETTINGS) as SettingName[]) {
      assert.match(envVarOf(name), /^TRAILCHECK_[A-Z_]+$/);
      assert.ok(configKeyOf(name).length > 0);
      assert.ok(SCAN_HELP.includes(`--${name} ${SETTINGS[name].placeholder}`), `${name} in scan --help`);
    }
    assert.equal(envVarOf('output-dir'), 'TRAILCHECK_OUTPUT_DIR');
    assert.equal(configKeyOf('region'), 'regions');
  });
});
