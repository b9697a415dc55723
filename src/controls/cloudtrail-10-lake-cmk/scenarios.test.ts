/**
 * CloudTrail.10 against the emulator. moto 5.2.1 does not implement CloudTrail Lake: ListEventDataStores
 * answers HTTP 500 with an HTML page (even when IAM would deny the call). The only verdict moto can give is
 * therefore UNKNOWN, which is what a scan must say; PASS and FAIL are tested on hand-built snapshots.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plain } from '../../core/rich.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('CloudTrail.10 on the emulator (moto has no CloudTrail Lake)', () => {
  it('UNKNOWN, never PASS, when ListEventDataStores fails with a server error in every Region', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'logs', multiRegion: true });
    const assessment = await scanMoto(suite, { controls: [control] });
    const findings = findingsOf(assessment, 'CloudTrail.10');
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.status, 'UNKNOWN');
    assert.equal(finding.resource.type, 'AwsAccount');
    assert.equal(finding.resource.name, 'event data stores in all 2 scanned Regions');
    assert.match(
      plain(finding.message),
      /CloudTrail Lake event data stores could not be listed in all 2 scanned Regions/,
    );
    assert.deepEqual(
      finding.evidence.map((e) => [e.source, e.region, e.error?.kind]),
      [
        ['cloudtrail:ListEventDataStores', 'eu-west-1', 'service-error'],
        ['cloudtrail:ListEventDataStores', 'us-east-1', 'service-error'],
      ],
    );
    assert.doesNotMatch(
      plain(finding.remediation!.summary),
      /^Allow/,
      'a server error is not a missing permission: the fix does not ask for one as the cause',
    );
    assert.equal(assessment.results[0]?.status, 'UNKNOWN');
  });
});
