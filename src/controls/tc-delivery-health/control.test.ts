import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { TrailStatus } from '../../snapshot/schema.js';
import { denied, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import type { TrailInput } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const AT = '2026-11-24T10:00:01.000Z';
const hoursBefore = (hours: number) => new Date(Date.parse(AT) - hours * 3_600_000).toISOString();

function verdict(status: TrailStatus, extra: Partial<TrailInput> = {}, options = {}) {
  const snap = snapshot({
    trails: [trail({ Name: 'Main', status: ok(status, 'cloudtrail:GetTrailStatus'), ...extra })],
    finishedAt: AT,
  });
  const [finding] = control.evaluate(new SnapshotView(snap, options));
  assert.ok(finding);
  return { ...finding, text: plain(finding.message) };
}

describe('TC.DeliveryHealth', () => {
  it('passes a logging trail that delivered an hour before the scan', () => {
    const v = verdict({
      IsLogging: true,
      LatestDeliveryTime: hoursBefore(1),
      StartLoggingTime: hoursBefore(500),
    });
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /last delivered a log file at/);
  });

  it('passes a trail that started minutes ago and has not delivered yet', () => {
    const v = verdict({ IsLogging: true, StartLoggingTime: hoursBefore(0.1) });
    assert.equal(v.status, 'PASS');
  });

  it('fails a stopped trail, and the fix starts it', () => {
    const v = verdict({ IsLogging: false, StopLoggingTime: hoursBefore(30) });
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /stopped since/);
    assert.deepEqual(v.remediation?.cli, ['aws cloudtrail start-logging --region us-east-1 --name Main']);
  });

  it('fails on an S3 delivery error (hand-built: moto never reports delivery errors)', () => {
    const v = verdict({
      IsLogging: true,
      LatestDeliveryTime: hoursBefore(30),
      LatestDeliveryError: 'AccessDenied',
    });
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /delivery to S3 fails with AccessDenied/);
    assert.match(v.text, /last log file was delivered 30 hours before the scan/);
  });

  it('fails on a digest delivery error only when validation is on (hand-built: moto never reports one)', () => {
    const status = {
      IsLogging: true,
      LatestDeliveryTime: hoursBefore(1),
      LatestDigestDeliveryError: 'NoSuchBucket',
    };
    assert.equal(verdict(status, { LogFileValidationEnabled: true }).status, 'FAIL');
    assert.equal(verdict(status, { LogFileValidationEnabled: false }).status, 'PASS');
  });

  it('fails on a CloudWatch Logs delivery error when CloudWatch Logs is set up (hand-built)', () => {
    const status = {
      IsLogging: true,
      LatestDeliveryTime: hoursBefore(1),
      LatestCloudWatchLogsDeliveryError: 'AccessDeniedException',
    };
    const v = verdict(status, {
      CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g:*',
    });
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /CloudWatch Logs fails with AccessDeniedException/);
  });

  it('fails a stale delivery, with the age threshold adjustable', () => {
    const status = { IsLogging: true, LatestDeliveryTime: hoursBefore(50) };
    const v = verdict(status);
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /2 days before the scan/);
    assert.equal(verdict(status, {}, { maximumDeliveryAgeHours: 72 }).status, 'PASS');
  });

  it('fails a trail that never delivered since it started long ago', () => {
    const v = verdict({ IsLogging: true, StartLoggingTime: hoursBefore(100) });
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /delivered no log file since it started/);
  });

  it('judges staleness at collection time, so a replayed snapshot keeps its verdict', () => {
    const status = { IsLogging: true, LatestDeliveryTime: hoursBefore(1) };
    assert.equal(verdict(status).status, 'PASS', 'the same snapshot passes today and next year');
  });

  it('is UNKNOWN when the status cannot be read', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main', status: denied('cloudtrail:GetTrailStatus') })] });
    const [finding] = control.evaluate(new SnapshotView(snap));
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['cloudtrail:GetTrailStatus']);
  });
});
