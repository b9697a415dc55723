/**
 * A control's options are declared once, in its folder; the flag, environment variable, config key,
 * help line, completion and `explain` all come from that declaration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS, CONTROL_OPTIONS } from '../controls/index.js';
import { optionValue } from '../controls/options.js';
import { SnapshotView } from '../evaluate/view.js';
import { UsageError } from '../util/errors.js';
import { snapshot } from '../../test/support/snapshot-builder.js';
import { explainCommand } from './commands/controls.js';
import { COMPLETIONS } from './commands/completion.js';
import { parseConfig } from './config.js';
import { DEMO_HELP, FIX_HELP, PLAN_HELP, SCAN_HELP } from './help.js';
import type { CliIO } from './io.js';
import { ASSESS_OPTIONS, CONTROL_OPTION_FLAGS, SETTINGS, configKeyOf, envVarOf } from './options.js';
import { assessOptions } from './selection.js';

function capture(): { io: CliIO; out: () => string } {
  let text = '';
  return {
    io: { stdout: (s: string) => void (text += s), stderr: () => undefined, env: {} },
    out: () => text,
  };
}

describe('control options, declared in the control folders', () => {
  it('the options come from their controls, with the flags they always had; the monitoring checks share theirs', () => {
    const owners = CONTROLS.flatMap((c) => (c.options ?? []).map((o) => `${c.id} --${o.flag}`));
    const monitoring = [
      ...Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
      'TC.OrganizationsChanges',
    ];
    assert.deepEqual(
      owners.sort(),
      [
        'CloudTrail.9 --required-tags',
        'Config.1 --config-bucket',
        'EC2.6 --flow-log-bucket',
        'TC.BucketRetention --retention-days',
        'TC.DeliveryHealth --max-delivery-age',
        ...monitoring.flatMap((id) => [`${id} --alert-topic`, `${id} --alert-email`]),
      ].sort(),
    );
    // One shared declaration: listed once for flags, variables, config keys and help.
    assert.deepEqual(CONTROL_OPTIONS.map((o) => o.flag).sort(), [
      'alert-email',
      'alert-topic',
      'config-bucket',
      'flow-log-bucket',
      'max-delivery-age',
      'required-tags',
      'retention-days',
    ]);
  });

  it('--alert-topic and --alert-email refuse what SNS would, in one line', () => {
    const topic = CONTROL_OPTIONS.find((o) => o.flag === 'alert-topic')!;
    const email = CONTROL_OPTIONS.find((o) => o.flag === 'alert-email')!;
    assert.equal(
      topic.parse(' arn:aws:sns:us-east-1:123456789012:alerts '),
      'arn:aws:sns:us-east-1:123456789012:alerts',
    );
    assert.throws(
      () => topic.parse('alerts'),
      (e: unknown) => e instanceof UsageError && /--alert-topic takes an SNS topic ARN/.test(e.message),
    );
    assert.equal(email.parse('sec@example.com'), 'sec@example.com');
    for (const bad of ['sec', 'a@b', 'a@b.c,d@e.f', 'a b@c.d'])
      assert.throws(
        () => email.parse(bad),
        (e: unknown) => e instanceof UsageError && /--alert-email takes one e-mail address/.test(e.message),
      );
  });

  it('flags, keys and config keys are unique and collide with no other flag of any command', () => {
    const own = new Set(Object.keys(SETTINGS).filter((n) => !CONTROL_OPTION_FLAGS.includes(n as never)));
    const commandFlags = new Set(
      Object.values(COMPLETIONS).flatMap((c) =>
        Object.keys(c.options).filter((f) => !CONTROL_OPTION_FLAGS.includes(f as never)),
      ),
    );
    const flags = CONTROL_OPTIONS.map((o) => o.flag);
    assert.equal(new Set(flags).size, flags.length);
    assert.equal(new Set(CONTROL_OPTIONS.map((o) => o.key)).size, CONTROL_OPTIONS.length);
    for (const flag of flags) {
      assert.ok(!own.has(flag) && !commandFlags.has(flag), `--${flag} is taken`);
    }
    const configKeys = Object.keys(SETTINGS).map((n) => configKeyOf(n as keyof typeof SETTINGS));
    assert.equal(new Set(configKeys).size, configKeys.length);
  });

  it('each option is a setting: a flag of scan, demo, plan and fix, in their help, from the declaration', () => {
    for (const option of CONTROL_OPTIONS) {
      const setting = SETTINGS[option.flag];
      assert.equal(setting.placeholder, option.placeholder);
      assert.deepEqual(setting.help, option.help);
      assert.equal(setting.kind, option.kind);
      assert.ok(option.flag in ASSESS_OPTIONS, `--${option.flag} in ASSESS_OPTIONS`);
      for (const help of [SCAN_HELP, DEMO_HELP, PLAN_HELP, FIX_HELP]) {
        assert.ok(help.includes(`--${option.flag} ${option.placeholder}`));
        assert.ok(help.includes(option.help[0] as string));
      }
      for (const command of ['scan', 'demo', 'plan', 'fix'])
        assert.ok(
          option.flag in (COMPLETIONS[command]?.options ?? {}),
          `${command} completes --${option.flag}`,
        );
    }
  });

  it('a value is parsed by its control option into AssessOptions under the declared key', () => {
    assert.deepEqual(
      assessOptions({
        'required-tags': 'Owner, CostCenter',
        'retention-days': '400',
        'max-delivery-age': '12',
      }),
      { requiredTagKeys: ['Owner', 'CostCenter'], minimumRetentionDays: 400, maximumDeliveryAgeHours: 12 },
    );
    assert.deepEqual(assessOptions({}), {});
    assert.throws(
      () => assessOptions({ 'retention-days': '0' }),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message === "--retention-days takes a whole number from 1 to 36500, not '0'.",
    );
  });

  it('the config file and the environment know an option by its declared names', () => {
    const config = parseConfig('retention-days: 400\nrequired-tags: [Owner]\n', 'test.yaml', '/');
    assert.deepEqual(config.values, { 'retention-days': '400', 'required-tags': 'Owner' });
    assert.equal(envVarOf('max-delivery-age'), 'TRAILCHECK_MAX_DELIVERY_AGE');
  });

  it("a control judges with its option's declared default when none is given", () => {
    const view = new SnapshotView(snapshot({}));
    const given = new SnapshotView(snapshot({}), { minimumRetentionDays: 730 });
    for (const option of CONTROL_OPTIONS) assert.deepEqual(optionValue(view, option), option.default);
    const retention = CONTROL_OPTIONS.find((o) => o.flag === 'retention-days');
    assert.ok(retention);
    assert.equal(optionValue(view, retention), 365);
    assert.equal(optionValue(given, retention), 730);
  });

  it('explain lists a control’s options with their variable and config key; a control without options has none', async () => {
    const withOption = capture();
    await explainCommand(['TC.BucketRetention'], withOption.io);
    assert.match(
      withOption.out(),
      /\nOptions\n {2}--retention-days N: how long log files must be kept \(TC\.BucketRetention; default 365\); also\n {2}TRAILCHECK_RETENTION_DAYS, or retention-days in trailcheck\.config\.yaml\n\nPermissions/,
    );
    const without = capture();
    await explainCommand(['CloudTrail.4'], without.io);
    assert.doesNotMatch(without.out(), /\nOptions\n/);
  });
});
