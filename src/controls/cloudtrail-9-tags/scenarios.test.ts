/** CloudTrail.9 against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddTagsCommand } from '@aws-sdk/client-cloudtrail';
import { scanActions } from '../scan-policy.js';
import { assess } from '../../judge/assess.js';
import { plain } from '../../core/rich.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { createTrailWith } from '../../../test/support/scenarios/more-builders.js';
import {
  collectFromMoto,
  findingsOf,
  restrictedScanner,
  scanMoto,
  useMoto,
} from '../../../test/support/moto-suite.js';
import { JsonReportSchema } from '../../report/json.js';
import { motoEnv } from '../../../test/support/aws.js';
import { runTrailcheck } from '../../../test/support/cli.js';
import { control } from './control.js';

const suite = useMoto();

describe('CloudTrail.9 on the emulator', () => {
  it('PASS for a tagged trail, FAIL for an untagged one, tags read in each trail’s home Region', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Tagged');
    await createTrailWith(suite.aws, {
      name: 'Tagged',
      bucket: 'logs',
      multiRegion: true,
      tags: [{ Key: 'Owner', Value: 'security' }],
    });
    await createTrailBucket(suite.aws, 'irish-logs', 'Bare', 'eu-west-1');
    await createTrail(suite.aws, { name: 'Bare', bucket: 'irish-logs', region: 'eu-west-1' });
    const assessment = await scanMoto(suite, { controls: [control] });
    const findings = findingsOf(assessment, 'CloudTrail.9');
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['Bare', 'FAIL'],
        ['Tagged', 'PASS'],
      ],
    );
    assert.equal(plain(findings[1]!.message), 'Trail Tagged is tagged (Owner).');
    assert.deepEqual(
      findings.map((f) => f.evidence.find((e) => e.source === 'cloudtrail:ListTags')?.region),
      ['eu-west-1', 'us-east-1'],
    );
    assert.match(findings[0]!.remediation!.cli[0]!, /add-tags --region eu-west-1 .*trail\/Bare --tags-list/);
  });

  it('FAIL for a trail that carries only system tags (aws:…)', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Stacked');
    await createTrailWith(suite.aws, {
      name: 'Stacked',
      bucket: 'logs',
      multiRegion: true,
      tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'audit' }],
    });
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.9');
    assert.equal(finding?.status, 'FAIL');
    assert.match(plain(finding.message), /only AWS system tags/);
  });

  it('required tag keys (--required-tags): FAIL naming the missing key until it is added, then PASS', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    const arn = await createTrailWith(suite.aws, {
      name: 'Main',
      bucket: 'logs',
      multiRegion: true,
      tags: [{ Key: 'Owner', Value: 'security' }],
    });
    const options = { requiredTagKeys: ['Owner', 'CostCenter'] };
    let snapshot = await collectFromMoto(suite, { controls: [control] });
    let [finding] = findingsOf(assess(snapshot, [control], options), 'CloudTrail.9');
    assert.equal(finding?.status, 'FAIL');
    assert.equal(plain(finding.message), 'Trail Main lacks the required tag CostCenter.');
    assert.equal(
      findingsOf(assess(snapshot, [control]), 'CloudTrail.9')[0]?.status,
      'PASS',
      'without required keys any tag will do: the same evidence, judged with other options',
    );
    await suite.aws
      .cloudtrail()
      .send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'CostCenter', Value: '42' }] }));
    snapshot = await collectFromMoto(suite, { controls: [control] });
    [finding] = findingsOf(assess(snapshot, [control], options), 'CloudTrail.9');
    assert.equal(finding?.status, 'PASS');
  });

  it('trailcheck scan --required-tags judges with those keys', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrailWith(suite.aws, {
      name: 'Main',
      bucket: 'logs',
      multiRegion: true,
      tags: [{ Key: 'Owner', Value: 'security' }],
    });
    const scan = (extra: string[]) =>
      runTrailcheck(
        ['scan', '--controls', 'CloudTrail.9', '--region', 'us-east-1', '--format', 'json', ...extra],
        motoEnv(suite.moto),
      );
    const strict = await scan(['--required-tags', 'Owner, CostCenter']);
    assert.equal(strict.code, 1, strict.stderr);
    const [finding] = JsonReportSchema.parse(JSON.parse(strict.stdout)).findings;
    assert.equal(finding?.status, 'FAIL');
    assert.equal(finding?.message, 'Trail Main lacks the required tag CostCenter.');
    const lenient = await scan(['--required-tags', 'Owner']);
    assert.equal(lenient.code, 0, lenient.stderr);
  });

  it('UNKNOWN when the scanner may not call cloudtrail:ListTags', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrailWith(suite.aws, {
      name: 'Main',
      bucket: 'logs',
      multiRegion: true,
      tags: [{ Key: 'Owner', Value: 'x' }],
    });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:ListTags'),
    );
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control], credentials }), 'CloudTrail.9');
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['cloudtrail:ListTags']);
  });

  it('no trails: no finding', async () => {
    assert.deepEqual(findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.9'), []);
  });
});
