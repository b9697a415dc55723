/** CloudTrail.5 against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { createTrailWith } from '../../../test/support/scenarios/more-builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();
const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:audit:*';
const ROLE = 'arn:aws:iam::123456789012:role/CloudTrailToLogs';

describe('CloudTrail.5 on the emulator', () => {
  it('PASS for a trail sending its events to a log group, FAIL for one that does not; each judged once', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Integrated');
    await createTrailWith(suite.aws, {
      name: 'Integrated',
      bucket: 'logs',
      multiRegion: true,
      cloudWatchLogsLogGroupArn: GROUP,
      cloudWatchLogsRoleArn: ROLE,
    });
    await createTrailBucket(suite.aws, 'irish-logs', 'S3Only', 'eu-west-1');
    await createTrail(suite.aws, { name: 'S3Only', bucket: 'irish-logs', region: 'eu-west-1' });
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.5');
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.resource.region, f.status]),
      [
        ['S3Only', 'eu-west-1', 'FAIL'],
        ['Integrated', 'us-east-1', 'PASS'],
      ],
    );
    assert.equal(plain(findings[1]!.message), `Trail Integrated sends its events to the log group ${GROUP}.`);
    assert.equal(findings[1]!.evidence[0]?.facts?.CloudWatchLogsRoleArn, ROLE);
    assert.match(findings[0]!.remediation!.cli.join('\n'), /update-trail --region eu-west-1 --name S3Only/);
  });

  it('PASS once the trail is updated to send its events to CloudWatch Logs', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'logs', multiRegion: true });
    let [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.5');
    assert.equal(finding?.status, 'FAIL');
    await suite.aws.cloudtrail().send(
      new UpdateTrailCommand({
        Name: 'Main',
        CloudWatchLogsLogGroupArn: GROUP,
        CloudWatchLogsRoleArn: ROLE,
      }),
    );
    [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.5');
    assert.equal(finding?.status, 'PASS');
  });

  it('no trails: no finding at all, not a PASS', async () => {
    const assessment = await scanMoto(suite, { controls: [control] });
    assert.deepEqual(findingsOf(assessment, 'CloudTrail.5'), []);
    assert.equal(assessment.results[0]?.status, 'NOT_APPLICABLE');
  });

  it('UNKNOWN when the scanner may not list trails, naming cloudtrail:DescribeTrails', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:DescribeTrails'),
    );
    const findings = findingsOf(await scanMoto(suite, { controls: [control], credentials }), 'CloudTrail.5');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.equal(findings[0]?.resource.name, 'trails in all 2 scanned Regions');
    assert.deepEqual(findings[0]?.remediation?.permissions, ['cloudtrail:DescribeTrails']);
  });
});
