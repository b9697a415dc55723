import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  coversAction,
  coversServicePrincipal,
  decideServiceRequest,
  evaluateCondition,
  isPublicGrant,
  limitingCondition,
  parsePolicy,
  wildcardMatch,
} from './policy.js';
import type { PolicyStatement, ServiceRequest } from './policy.js';

function statements(...list: object[]): PolicyStatement[] {
  const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: list }));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.statements;
}

const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main';
const putObject: ServiceRequest = {
  service: 'cloudtrail.amazonaws.com',
  action: 's3:PutObject',
  resource: 'arn:aws:s3:::logs/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/x.json.gz',
  context: {
    'aws:SourceArn': TRAIL,
    'aws:SourceAccount': '123456789012',
    's3:x-amz-acl': 'bucket-owner-full-control',
  },
  knownKeys: [],
};
const cloudTrailWrite = {
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::logs/AWSLogs/123456789012/*',
};

describe('parsePolicy', () => {
  it('reads single statements, lists, and every principal form', () => {
    const [star, aws, service] = statements(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { AWS: ['*', 'arn:aws:iam::1:root'] },
        Action: ['s3:Get*'],
        Resource: '*',
      },
      {
        Effect: 'Deny',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        NotAction: 's3:GetObject',
        Resource: '*',
      },
    );
    assert.equal(star?.everyone, true);
    assert.equal(aws?.anyPrincipal, true);
    assert.equal(aws?.everyone, false);
    assert.deepEqual(aws?.awsPrincipals, ['arn:aws:iam::1:root']);
    assert.deepEqual(service?.servicePrincipals, ['cloudtrail.amazonaws.com']);
    assert.deepEqual(service?.notActions, ['s3:GetObject']);
    const single = parsePolicy(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }),
    );
    assert.ok(single.ok && single.statements.length === 1);
  });

  it('reports what it cannot read instead of guessing', () => {
    assert.equal(parsePolicy('{not json').ok, false);
    assert.equal(parsePolicy('[]').ok, false);
    assert.equal(parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Perhaps' }] })).ok, false);
    assert.equal(parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Condition: 'x' }] })).ok, false);
  });

  it('splits condition operators into qualifier, base and IfExists', () => {
    const [statement] = statements({
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:PrincipalTag/team': ['a', 'b'] } },
    });
    assert.deepEqual(statement?.conditions[0], {
      operator: 'ForAnyValue:StringLikeIfExists',
      base: 'StringLike',
      qualifier: 'ForAnyValue',
      ifExists: true,
      key: 'aws:PrincipalTag/team',
      values: ['a', 'b'],
    });
  });
});

describe('matching', () => {
  it('IAM wildcards: * any run, ? one character, nothing else special', () => {
    assert.equal(wildcardMatch('arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/a/b'), true);
    assert.equal(wildcardMatch('arn:aws:s3:::log?', 'arn:aws:s3:::logs'), true);
    assert.equal(wildcardMatch('arn:aws:s3:::log?', 'arn:aws:s3:::log'), false);
    assert.equal(wildcardMatch('a.b', 'axb'), false, 'a dot is literal');
    assert.equal(wildcardMatch('kms:generatedatakey*', 'kms:GenerateDataKey', true), true);
  });

  it('actions match case-insensitively; NotAction inverts', () => {
    const [allow, not] = statements(
      { Effect: 'Allow', Principal: '*', Action: 'KMS:GenerateDataKey*', Resource: '*' },
      { Effect: 'Allow', Principal: '*', NotAction: 'kms:Decrypt', Resource: '*' },
    );
    assert.equal(coversAction(allow!, 'kms:GenerateDataKey'), true);
    assert.equal(coversAction(not!, 'kms:GenerateDataKey'), true);
    assert.equal(coversAction(not!, 'kms:decrypt'), false);
  });

  it('a service principal is covered by name or by "*", and only maybe by {"AWS": "*"}', () => {
    const [named, star, awsStar, other] = statements(
      { Effect: 'Allow', Principal: { Service: ['cloudtrail.amazonaws.com'] }, Action: '*', Resource: '*' },
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*' },
      { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: '*', Resource: '*' },
    );
    assert.equal(coversServicePrincipal(named!, 'cloudtrail.amazonaws.com'), 'yes');
    assert.equal(coversServicePrincipal(star!, 'cloudtrail.amazonaws.com'), 'yes');
    assert.equal(coversServicePrincipal(awsStar!, 'cloudtrail.amazonaws.com'), 'unknown');
    assert.equal(coversServicePrincipal(other!, 'cloudtrail.amazonaws.com'), 'no');
  });
});

describe('evaluateCondition', () => {
  const known = new Set<string>();
  const cond = (operator: string, key: string, values: string[]) => {
    const [statement] = statements({
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { [operator]: { [key]: values } },
    });
    return statement!.conditions[0]!;
  };
  const context = { 'aws:SourceArn': TRAIL, 'aws:SourceAccount': '123456789012' };

  it('string and ARN operators, positive and negated', () => {
    assert.equal(
      evaluateCondition(cond('StringEquals', 'aws:SourceAccount', ['123456789012']), context, known),
      'yes',
    );
    assert.equal(
      evaluateCondition(cond('StringEquals', 'aws:SourceAccount', ['999999999999']), context, known),
      'no',
    );
    assert.equal(
      evaluateCondition(cond('StringNotEquals', 'aws:SourceAccount', ['999999999999']), context, known),
      'yes',
    );
    assert.equal(
      evaluateCondition(
        cond('ArnLike', 'aws:SourceArn', ['arn:aws:cloudtrail:*:123456789012:trail/*']),
        context,
        known,
      ),
      'yes',
    );
    assert.equal(
      evaluateCondition(
        cond('ArnEquals', 'aws:SourceArn', ['arn:aws:cloudtrail:us-east-1:123456789012:trail/Other']),
        context,
        known,
      ),
      'no',
    );
    assert.equal(
      evaluateCondition(
        cond('StringEqualsIgnoreCase', 'aws:sourcearn', [TRAIL.toUpperCase()]),
        context,
        known,
      ),
      'yes',
    );
  });

  it('condition keys match case-insensitively', () => {
    assert.equal(
      evaluateCondition(cond('StringEquals', 'AWS:SOURCEACCOUNT', ['123456789012']), context, known),
      'yes',
    );
  });

  it('a key the request may carry but the context lacks is unknown; a known-absent key is decided', () => {
    const viaService = cond('StringEquals', 'kms:ViaService', ['s3.us-east-1.amazonaws.com']);
    assert.equal(evaluateCondition(viaService, context, known), 'unknown');
    const absent = new Set(['kms:viaservice']);
    assert.equal(evaluateCondition(viaService, context, absent), 'no');
    assert.equal(
      evaluateCondition(cond('StringEqualsIfExists', 'kms:ViaService', ['x']), context, absent),
      'yes',
    );
    assert.equal(evaluateCondition(cond('StringNotEquals', 'kms:ViaService', ['x']), context, absent), 'yes');
  });

  it('Null and Bool', () => {
    assert.equal(evaluateCondition(cond('Null', 'aws:SourceArn', ['false']), context, known), 'yes');
    assert.equal(evaluateCondition(cond('Null', 'aws:SourceArn', ['true']), context, known), 'no');
    assert.equal(
      evaluateCondition(
        cond('Bool', 'aws:SecureTransport', ['false']),
        { 'aws:SecureTransport': 'true' },
        known,
      ),
      'no',
    );
  });

  it('an operator it does not model is unknown, never yes', () => {
    assert.equal(
      evaluateCondition(cond('DateGreaterThan', 'aws:CurrentTime', ['2020-01-01T00:00:00Z']), context, known),
      'unknown',
    );
    assert.equal(
      evaluateCondition(cond('IpAddress', 'aws:SourceIp', ['10.0.0.0/8']), context, known),
      'unknown',
    );
  });
});

describe('decideServiceRequest', () => {
  it('allows a scoped CloudTrail write for the right trail, and refuses another trail', () => {
    const policy = statements({
      ...cloudTrailWrite,
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL } },
    });
    assert.equal(decideServiceRequest(policy, putObject).allowed, 'yes');
    const other = { ...putObject, context: { ...putObject.context, 'aws:SourceArn': `${TRAIL}2` } };
    assert.equal(decideServiceRequest(policy, other).allowed, 'no');
  });

  it('needs an Allow: nothing said means no', () => {
    assert.equal(decideServiceRequest([], putObject).allowed, 'no');
    assert.equal(
      decideServiceRequest(statements({ ...cloudTrailWrite, Resource: 'arn:aws:s3:::other/*' }), putObject)
        .allowed,
      'no',
    );
  });

  it('an explicit Deny wins over an Allow', () => {
    const policy = statements(cloudTrailWrite, {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::logs/*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    assert.equal(
      decideServiceRequest(policy, {
        ...putObject,
        context: { ...putObject.context, 'aws:SecureTransport': 'true' },
      }).allowed,
      'yes',
    );
    assert.equal(
      decideServiceRequest(policy, {
        ...putObject,
        context: { ...putObject.context, 'aws:SecureTransport': 'false' },
      }).allowed,
      'no',
    );
  });

  it('a Deny that might apply makes the answer unknown, not yes', () => {
    const policy = statements(cloudTrailWrite, {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
    });
    assert.equal(decideServiceRequest(policy, putObject).allowed, 'unknown');
  });

  it('an Allow only through {"AWS": "*"} is unknown for a service principal', () => {
    const policy = statements({ ...cloudTrailWrite, Principal: { AWS: '*' } });
    assert.equal(decideServiceRequest(policy, putObject).allowed, 'unknown');
  });
});

describe('public grants, as S3 defines them', () => {
  const grant = (extra: object) =>
    statements({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      ...extra,
    })[0]!;

  it('anyone without a condition is public; a Deny or a named principal is not', () => {
    assert.equal(isPublicGrant(grant({})), true);
    assert.equal(isPublicGrant(grant({ Principal: { AWS: '*' } })), true);
    assert.equal(isPublicGrant(grant({ Effect: 'Deny' })), false);
    assert.equal(isPublicGrant(grant({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } })), false);
    assert.equal(
      isPublicGrant(grant({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::1:root' } })),
      true,
    );
  });

  it('fixed source, account, VPC endpoint or organization conditions make it non-public', () => {
    for (const condition of [
      { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main' } },
      { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } },
      { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    ]) {
      assert.equal(isPublicGrant(grant({ Condition: condition })), false, JSON.stringify(condition));
    }
  });

  it('wildcard values, negated or IfExists operators and the whole Internet do not limit', () => {
    for (const condition of [
      { StringLike: { 'aws:SourceAccount': '*' } },
      { StringNotEquals: { 'aws:SourceAccount': '123456789012' } },
      { StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' } },
      { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } },
    ]) {
      assert.equal(isPublicGrant(grant({ Condition: condition })), true, JSON.stringify(condition));
    }
    const [statement] = statements({
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '::/0' } },
    });
    assert.equal(limitingCondition(statement!.conditions[0]!), undefined);
  });
});

describe('parsePolicy, judged again by the planner', () => {
  it('parses a policy text once and shares the result, frozen so no caller can change it', () => {
    const text = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
    const first = parsePolicy(text);
    assert.equal(parsePolicy(text), first, 'the same text gives the same parse');
    assert.ok(first.ok);
    assert.ok(Object.isFrozen(first.statements[0]?.actions));
    assert.throws(() => (first.statements as unknown as unknown[]).push({}), TypeError);
  });
});

describe('wildcardMatch, asked for every trail that uses a key', () => {
  it('compiles a pattern once and answers as before, with either case rule', () => {
    const Original = globalThis.RegExp;
    let compiled = 0;
    globalThis.RegExp = class extends Original {
      constructor(pattern: string | RegExp, flags?: string) {
        super(pattern, flags);
        compiled++;
      }
    } as RegExpConstructor;
    try {
      const pattern = 'arn:aws:cloudtrail:*:111122223333:trail/once-?';
      for (let i = 0; i < 50; i++) {
        assert.equal(wildcardMatch(pattern, 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/once-A'), true);
        assert.equal(wildcardMatch(pattern, 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/ONCE-A'), false);
        assert.equal(wildcardMatch(pattern, 'ARN:aws:cloudtrail:x:111122223333:trail/ONCE-A', true), true);
      }
    } finally {
      globalThis.RegExp = Original;
    }
    assert.equal(compiled, 2, 'one RegExp per pattern and case rule');
  });
});
