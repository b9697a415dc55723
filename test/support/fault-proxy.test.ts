/**
 * The fault proxy itself, against a small stub upstream (no emulator needed): that it recognises
 * operations and Regions in every protocol trailcheck uses, and that each fault reaches the AWS SDK the
 * way the real failure would.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { TEST_CREDENTIALS } from './aws.js';
import { FaultProxy, classifyRequest } from './fault-proxy.js';

const TRAILS_BODY = JSON.stringify({ trailList: [{ Name: 'Main', TrailARN: 'arn:aws:cloudtrail:x' }] });

let upstreamHits = 0;

/** Answers each operation the SDK clients below send with a minimal valid body. */
function stubUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    upstreamHits += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(TRAILS_BODY);
      } else if (body.includes('Action=DescribeRegions')) {
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<DescribeRegionsResponse><regionInfo><item><regionName>eu-west-1</regionName></item></regionInfo></DescribeRegionsResponse>',
          );
      } else if (body.includes('Action=GetCallerIdentity')) {
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>X</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>',
          );
      } else {
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end('<?xml version="1.0"?><LocationConstraint>eu-west-1</LocationConstraint>');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let upstream: Server;
let proxy: FaultProxy;

function clientConfig(region = 'us-east-1', maxAttempts = 1) {
  return {
    region,
    endpoint: proxy.endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts,
    requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
  };
}

const cloudTrail = (region?: string, attempts?: number) =>
  new CloudTrailClient(clientConfig(region, attempts));
const s3 = (region?: string) => new S3Client({ ...clientConfig(region), forcePathStyle: true });

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; code?: string };
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  upstream = await stubUpstream();
  const address = upstream.address();
  proxy = await FaultProxy.start(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
});
beforeEach(() => {
  proxy.clearRules();
  proxy.clearLog();
});
after(async () => {
  await proxy.stop();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('fault proxy: recognising requests', () => {
  it('names the service, operation and Region of JSON, query, EC2 and S3 REST requests', async () => {
    await cloudTrail('eu-west-1').send(new DescribeTrailsCommand({}));
    await new EC2Client(clientConfig('ap-south-1')).send(new DescribeRegionsCommand({}));
    await new STSClient(clientConfig()).send(new GetCallerIdentityCommand({}));
    await s3('eu-central-1').send(new GetBucketLocationCommand({ Bucket: 'logs' }));
    assert.deepEqual(
      proxy.log.map((e) => [e.service, e.operation, e.region, e.protocol, e.status]),
      [
        ['cloudtrail', 'DescribeTrails', 'eu-west-1', 'json', 200],
        ['ec2', 'DescribeRegions', 'ap-south-1', 'ec2', 200],
        ['sts', 'GetCallerIdentity', 'us-east-1', 'query', 200],
        ['s3', 'GetBucketLocation', 'eu-central-1', 'rest-xml', 200],
      ],
    );
  });

  it('tells S3 operations apart by method, path and query, from the SDK’s own bindings', () => {
    const auth = {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0',
    };
    const op = (method: string, url: string) => classifyRequest(method, url, auth, '').operation;
    assert.equal(op('GET', '/logs?logging'), 'GetBucketLogging');
    assert.equal(op('GET', '/logs?location'), 'GetBucketLocation');
    assert.equal(op('GET', '/logs?publicAccessBlock'), 'GetPublicAccessBlock');
    assert.equal(op('GET', '/logs?policy'), 'GetBucketPolicy');
    assert.equal(op('GET', '/logs?list-type=2'), 'ListObjectsV2');
    assert.equal(op('HEAD', '/logs'), 'HeadBucket');
    assert.equal(op('GET', '/logs/AWSLogs/1/digest.json.gz?x-id=GetObject'), 'GetObject');
    assert.equal(op('GET', '/?x-id=ListBuckets'), 'ListBuckets');
    assert.equal(op('GET', '/'), 'ListBuckets', 'boto3 sends no x-id');
    assert.equal(op('PATCH', '/logs?nothing-like-this'), 'PATCH /logs');
    assert.equal(op('GET', '/v20180820/configuration/publicAccessBlock'), 'GetPublicAccessBlock');
    assert.equal(
      classifyRequest('GET', '/v20180820/configuration/publicAccessBlock', auth, '').service,
      's3control',
    );
    assert.equal(classifyRequest('GET', '/logs?logging', auth, '').region, 'eu-west-1');
  });

  it('reads query-protocol actions from the body or the query string, and aliases signing names', () => {
    const scope = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    });
    const form = { ...scope('iam'), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    assert.equal(
      classifyRequest('POST', '/', form, 'Action=GetAccountSummary&Version=2010-05-08').operation,
      'GetAccountSummary',
    );
    assert.equal(classifyRequest('GET', '/?Action=DescribeVpcs', scope('ec2'), '').operation, 'DescribeVpcs');
    const alarms = classifyRequest(
      'POST',
      '/',
      { ...scope('monitoring'), 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' },
      '{}',
    );
    assert.deepEqual([alarms.service, alarms.operation], ['cloudwatch', 'DescribeAlarms']);
  });
});

describe('fault proxy: faults as the SDK sees them', () => {
  it('throttles in each protocol’s own words', async () => {
    proxy.addRule({ fault: { kind: 'throttle' } });
    assert.equal(
      (await failure(cloudTrail().send(new DescribeTrailsCommand({})))).name,
      'ThrottlingException',
    );
    assert.equal(
      (await failure(new EC2Client(clientConfig()).send(new DescribeRegionsCommand({})))).name,
      'RequestLimitExceeded',
    );
    assert.equal(
      (await failure(new STSClient(clientConfig()).send(new GetCallerIdentityCommand({})))).name,
      'Throttling',
    );
    assert.equal(
      (await failure(s3().send(new GetBucketLocationCommand({ Bucket: 'logs' })))).name,
      'SlowDown',
    );
  });

  it('fails only the first N matching calls, so the SDK’s retries get through', async () => {
    const rule = proxy.addRule({
      operation: 'DescribeTrails',
      fault: { kind: 'error', status: 500 },
      times: 2,
    });
    const out = await cloudTrail('us-east-1', 3).send(new DescribeTrailsCommand({}));
    assert.equal(out.$metadata.attempts, 3);
    assert.equal(rule.hits, 2);
    assert.deepEqual(
      proxy.log.map((e) => e.fault ?? 'passed'),
      ['error', 'error', 'passed'],
    );
  });

  it('keeps to its Region and operation', async () => {
    const rule = proxy.addRule({
      region: 'eu-west-1',
      operation: 'DescribeTrails',
      fault: { kind: 'error', status: 403 },
    });
    await cloudTrail('us-east-1').send(new DescribeTrailsCommand({}));
    await s3('eu-west-1').send(new GetBucketLocationCommand({ Bucket: 'logs' }));
    assert.equal(rule.hits, 0);
    assert.equal(
      (await failure(cloudTrail('eu-west-1').send(new DescribeTrailsCommand({})))).name,
      'AccessDeniedException',
    );
    assert.equal(rule.hits, 1);
  });

  it('resets connections, and hangs until the client gives up', async () => {
    proxy.addRule({ operation: 'DescribeTrails', fault: { kind: 'reset' } });
    proxy.addRule({ operation: 'GetBucketLocation', fault: { kind: 'hang' } });
    assert.equal((await failure(cloudTrail().send(new DescribeTrailsCommand({})))).code, 'ECONNRESET');
    const hung = await failure(s3().send(new GetBucketLocationCommand({ Bucket: 'logs' })));
    assert.equal(hung.name, 'TimeoutError');
  });

  it('delays the real answer by at least the time asked', async () => {
    proxy.addRule({ fault: { kind: 'delay', ms: 150 } });
    const started = performance.now();
    const out = await cloudTrail().send(new DescribeTrailsCommand({}));
    assert.ok(performance.now() - started >= 140, 'the answer came late');
    assert.equal(out.trailList?.[0]?.Name, 'Main');
  });

  it('truncates, garbles or rewrites the real body', async () => {
    const headers = {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-target': 'CloudTrail_20131101.DescribeTrails',
      'content-type': 'application/x-amz-json-1.1',
    };
    const fetchBody = async () =>
      (await fetch(proxy.endpoint, { method: 'POST', headers, body: '{}' })).text();
    proxy.addRule({ fault: { kind: 'truncate' }, times: 1 });
    assert.equal(await fetchBody(), TRAILS_BODY.slice(0, Math.floor(TRAILS_BODY.length / 2)));
    proxy.addRule({ fault: { kind: 'garbage' }, times: 1 });
    assert.doesNotMatch(await fetchBody(), /trailList/);
    proxy.addRule({
      fault: { kind: 'rewrite', rewrite: (body, info) => `${info.operation}:${body.length}` },
      times: 1,
    });
    assert.equal(await fetchBody(), `DescribeTrails:${TRAILS_BODY.length}`);
    assert.equal(await fetchBody(), TRAILS_BODY, 'every rule was used up: the real body again');
  });

  it('answers bare statuses (an HTML 502 from a load balancer) for the SDK to classify', async () => {
    proxy.addRule({
      fault: { kind: 'status', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
    });
    const error = (await failure(cloudTrail().send(new DescribeTrailsCommand({})))) as {
      $metadata?: { httpStatusCode?: number };
    };
    assert.equal(error.$metadata?.httpStatusCode, 502);
  });

  it('stopping ends requests that hang', async () => {
    const local = await FaultProxy.start(proxy.endpoint, { rules: [{ fault: { kind: 'hang' } }] });
    const client = new CloudTrailClient({
      region: 'us-east-1',
      endpoint: local.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const pending = failure(client.send(new DescribeTrailsCommand({})));
    while (local.log.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await local.stop();
    assert.ok((await pending).name, 'the client got an error, not a hang');
  });

  it('replays the upstream’s answer to a request it has seen, and forgets when replay ends', async () => {
    proxy.replay(true);
    try {
      const before = upstreamHits;
      const first = await cloudTrail().send(new DescribeTrailsCommand({}));
      const again = await cloudTrail().send(new DescribeTrailsCommand({}));
      assert.deepEqual(again.trailList, first.trailList);
      assert.equal(upstreamHits - before, 1, 'the second answer came from the proxy');
      proxy.addRule({ operation: 'DescribeTrails', fault: { kind: 'error', status: 500 } });
      await failure(cloudTrail().send(new DescribeTrailsCommand({})));
    } finally {
      proxy.replay(false);
    }
    const before = upstreamHits;
    proxy.clearRules();
    await cloudTrail().send(new DescribeTrailsCommand({}));
    assert.equal(upstreamHits - before, 1, 'live again');
  });
});
