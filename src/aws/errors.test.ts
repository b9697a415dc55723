/** What a failed call becomes: a bounded, printable fact with the right kind and the permission. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineExceededError } from './deadline.js';
import { describeFailure, explainFailure, MAX_MESSAGE_LENGTH } from './errors.js';
import { MalformedResponseError } from './response-guard.js';

function sdkError(name: string, message: string, status?: number, extra: object = {}) {
  return Object.assign(new Error(message), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });
}

describe('describeFailure', () => {
  it('keeps a hostile or huge AWS message to one bounded, printable line without key ids', () => {
    const message = `Denied\n\u001b[31mfor AKIAIOSFODNN7EXAMPLE\u202e ${'x'.repeat(5000)}`;
    const failure = describeFailure(
      sdkError('AccessDenied', message, 403),
      's3',
      'GetBucketLogging',
      'us-east-1',
    );
    assert.ok(failure.message.length <= MAX_MESSAGE_LENGTH);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(failure.message, /[\u0000-\u001f\u007f-\u009f\u202e]/);
    assert.doesNotMatch(failure.message, /AKIAIOSFODNN7EXAMPLE/);
    assert.match(failure.message, /^Denied for AKIA…\(redacted\)/);
    assert.equal(failure.permission, 's3:GetBucketLogging');
  });

  it('bounds and cleans the error code too', () => {
    const failure = describeFailure(
      sdkError(`Weird\n${'C'.repeat(500)}`, 'm', 400),
      'cloudtrail',
      'DescribeTrails',
      'eu-west-1',
    );
    assert.ok(failure.code.length <= 100);
    assert.doesNotMatch(failure.code, /\n/);
  });

  it('names a Region that ran out of time as such', () => {
    const failure = describeFailure(
      new DeadlineExceededError('eu-west-1', 90_000),
      'cloudtrail',
      'DescribeTrails',
      'eu-west-1',
    );
    assert.deepEqual([failure.kind, failure.code], ['timeout', 'DeadlineExceeded']);
    assert.match(
      explainFailure(failure),
      /was stopped: the time limit for Region eu-west-1 \(90 s, --timeout\)/,
    );
  });

  it('a malformed answer is a service error that says it was not used as evidence', () => {
    const failure = describeFailure(
      new MalformedResponseError('s3:GetBucketLogging', 'xml', 200, 12),
      's3',
      'GetBucketLogging',
      'us-east-1',
    );
    assert.deepEqual(
      [failure.kind, failure.code, failure.httpStatus],
      ['service-error', 'MalformedResponse', 200],
    );
    assert.match(explainFailure(failure), /not well-formed .* not used as evidence/);
  });

  it('a reset connection is a network failure, whatever the SDK renamed it', () => {
    const failure = describeFailure(
      sdkError('TimeoutError', 'read ECONNRESET', undefined, { code: 'ECONNRESET' }),
      'ec2',
      'DescribeRegions',
      'us-east-1',
    );
    assert.deepEqual([failure.kind, failure.code], ['network', 'ECONNRESET']);
  });

  it('an error body the SDK could not read is named by its status', () => {
    const failure = describeFailure(
      sdkError('Unknown', 'UnknownError', 503),
      's3',
      'GetBucketLocation',
      'us-east-1',
    );
    assert.deepEqual([failure.kind, failure.code], ['throttled', 'HTTP503']);
  });
});
