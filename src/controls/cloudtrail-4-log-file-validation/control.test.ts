import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import { snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const run = (snap: ReturnType<typeof snapshot>) => control.evaluate(new SnapshotView(snap));

describe('CloudTrail.4 log file validation', () => {
  it('passes when validation is on', () => {
    const [finding] = run(snapshot({ trails: [trail({ Name: 'Main', LogFileValidationEnabled: true })] }));
    assert.equal(finding?.status, 'PASS');
    assert.equal(finding?.remediation, null);
  });

  it('fails when it is off, with the exact command for the home Region', () => {
    const [finding] = run(
      snapshot({
        trails: [
          trail({ Name: 'MooncloudCisTest', LogFileValidationEnabled: false, HomeRegion: 'eu-west-1' }),
        ],
      }),
    );
    assert.equal(finding?.status, 'FAIL');
    assert.match(plain(finding.message), /MooncloudCisTest has log file validation disabled/);
    assert.deepEqual(finding?.remediation?.cli, [
      'aws cloudtrail update-trail --region eu-west-1 --name MooncloudCisTest --enable-log-file-validation',
    ]);
    assert.deepEqual(finding?.evidence[0]?.facts?.LogFileValidationEnabled, false);
  });

  it('is UNKNOWN, not PASS or FAIL, when DescribeTrails did not report the field', () => {
    const [finding] = run(
      snapshot({ trails: [trail({ Name: 'Main', LogFileValidationEnabled: undefined })] }),
    );
    assert.equal(finding?.status, 'UNKNOWN');
  });

  it('judges each trail on its own', () => {
    const findings = run(
      snapshot({
        trails: [
          trail({ Name: 'on', LogFileValidationEnabled: true }),
          trail({ Name: 'off', LogFileValidationEnabled: false }),
        ],
      }),
    );
    assert.deepEqual(findings.map((f) => [f.resource.name, f.status]).sort(), [
      ['off', 'FAIL'],
      ['on', 'PASS'],
    ]);
  });

  it('skips trails owned by another account', () => {
    assert.deepEqual(
      run(
        snapshot({
          trails: [trail({ Name: 'org', owner: '999999999999', LogFileValidationEnabled: false })],
        }),
      ),
      [],
    );
  });
});
