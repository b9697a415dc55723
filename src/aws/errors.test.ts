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
  it('an empty 404 from an endpoint that is not AWS says so, and is never "not found"', () => {
    const failure = describeFailure(
      sdkError('NotFound', 'Unknown', 404),
      'sts',
      'GetCallerIdentity',
      'us-east-1',
    );
    assert.equal(failure.kind, 'service-error');
    assert.equal(failure.code, 'NotAnAwsAnswer');
    assert.equal(
      explainFailure(failure),
      'sts:GetCallerIdentity in us-east-1 got HTTP 404 and an empty body, not an AWS answer: the endpoint reached for sts is not AWS',
    );
    const html = describeFailure(
      sdkError('SyntaxError', 'Unexpected token <', 404),
      's3',
      'GetBucketLogging',
      'eu-west-1',
    );
    assert.equal(html.code, 'NotAnAwsAnswer');
    assert.match(html.message, /HTTP 404 and a body that is not an AWS error/);
  });

  it('HeadBucket’s bodiless 404 and a named AWS 404 stay "not found"', () => {
    assert.equal(
      describeFailure(sdkError('NotFound', 'Unknown', 404), 's3', 'HeadBucket', 'us-east-1').kind,
      'not-found',
    );
    const named = describeFailure(
      sdkError('NoSuchBucket', 'The bucket does not exist', 404),
      's3',
      'GetBucketAcl',
      'us-east-1',
    );
    assert.equal(named.kind, 'not-found');
    assert.equal(named.code, 'NoSuchBucket');
  });

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
