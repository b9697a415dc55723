/** Which successful answers may become evidence. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
} from '@aws-sdk/client-s3';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  bodySyntaxOf,
  hasRawPayload,
  isEvidenceRead,
  isWellFormedXmlDocument,
  wellFormedBody,
} from './response-guard.js';

const LOGGING =
  '<?xml version="1.0" encoding="UTF-8"?>\n<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>t</TargetBucket></LoggingEnabled></BucketLoggingStatus>';

describe('response guard', () => {
  it('accepts whole XML documents, self-closing roots and empty bodies', () => {
    assert.ok(isWellFormedXmlDocument(LOGGING));
    assert.ok(isWellFormedXmlDocument('<?xml version="1.0"?><BucketLoggingStatus xmlns="x"/>'));
    assert.ok(isWellFormedXmlDocument('<!-- c --><LocationConstraint>eu-west-1</LocationConstraint >\n'));
    assert.ok(wellFormedBody('', 'xml'));
    assert.ok(wellFormedBody('  ', 'json'));
  });

  it('refuses cut-off and garbage XML, which the SDK would read as an empty answer', () => {
    for (let cut = 1; cut < LOGGING.length - 1; cut += 7) {
      assert.ok(!isWellFormedXmlDocument(LOGGING.slice(0, cut)), `cut at ${cut}`);
    }
    assert.ok(!isWellFormedXmlDocument('this is not xml'));
    assert.ok(!isWellFormedXmlDocument('<a></b>'));
    assert.ok(!isWellFormedXmlDocument('<?xml version="1.0"?>'));
  });

  it('wants a JSON object from JSON protocols', () => {
    assert.ok(wellFormedBody('{"trailList":[]}', 'json'));
    for (const body of ['{"trailList":[', '[]', '"text"', '42', 'null', '<html>'])
      assert.ok(!wellFormedBody(body, 'json'), body);
  });

  it('knows each protocol’s syntax by the SDK’s protocol id', () => {
    assert.equal(bodySyntaxOf('aws.protocols#awsJson1_1'), 'json');
    assert.equal(bodySyntaxOf('aws.protocols#restJson1'), 'json');
    assert.equal(bodySyntaxOf('aws.protocols#restXml'), 'xml');
    assert.equal(bodySyntaxOf('aws.protocols#awsQuery'), 'xml');
    assert.equal(bodySyntaxOf('aws.protocols#ec2Query'), 'xml');
    assert.equal(bodySyntaxOf('smithy.protocols#rpcv2Cbor'), undefined);
  });

  it('leaves alone answers whose body is a raw payload (GetBucketPolicy returns the policy JSON)', () => {
    assert.equal(hasRawPayload(new GetBucketPolicyCommand({ Bucket: 'b' }).schema), true);
    assert.equal(hasRawPayload(new GetBucketPolicyStatusCommand({ Bucket: 'b' }).schema), false);
    assert.equal(hasRawPayload(new GetBucketLoggingCommand({ Bucket: 'b' }).schema), false);
    assert.equal(hasRawPayload(new DescribeTrailsCommand({}).schema), false);
    assert.equal(hasRawPayload(undefined), false);
  });
});

describe('which answers the guard checks', () => {
  it('reads that become evidence, not writes whose body nobody reads', () => {
    for (const read of ['GetBucketLogging', 'ListTags', 'DescribeTrails', 'LookupEvents', 'HeadBucket'])
      assert.ok(isEvidenceRead(read), read);
    for (const write of ['PutBucketPolicy', 'CreateBucket', 'UpdateTrail', 'StartLogging', 'DeleteBucket'])
      assert.ok(!isEvidenceRead(write), write);
  });
});
