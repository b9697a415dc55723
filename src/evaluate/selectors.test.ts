import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdvancedEventSelector, FieldSelector } from '../snapshot/schema.js';
import {
  ALL_MANAGEMENT_EVENTS,
  advancedSelectorCovers,
  basicSelectorGap,
  fieldAccepts,
  fieldAcceptsDomain,
  managementEventCoverage,
  s3DataEventCoverage,
} from './selectors.js';

const field = (selector: Omit<FieldSelector, 'Field'>, name = 'eventSource'): FieldSelector => ({
  Field: name,
  ...selector,
});
const anyString = { kind: 'prefix', prefix: '' } as const;
const s3Arns = { kind: 'prefix', prefix: 'arn:aws:s3:::' } as const;

describe('fieldAccepts: each operator on one value', () => {
  const cases: Array<[string, Omit<FieldSelector, 'Field'>, string, boolean]> = [
    ['Equals hit', { Equals: ['a', 'b'] }, 'b', true],
    ['Equals miss', { Equals: ['a'] }, 'b', false],
    ['Equals empty list matches nothing', { Equals: [] }, 'a', false],
    ['StartsWith hit', { StartsWith: ['kms.', 'iam.'] }, 'iam.amazonaws.com', true],
    ['StartsWith miss', { StartsWith: ['kms.'] }, 'iam.amazonaws.com', false],
    ['EndsWith hit', { EndsWith: ['.com'] }, 'iam.amazonaws.com', true],
    ['EndsWith miss', { EndsWith: ['.cn'] }, 'iam.amazonaws.com', false],
    ['NotEquals excludes', { NotEquals: ['kms.amazonaws.com'] }, 'kms.amazonaws.com', false],
    ['NotEquals lets others through', { NotEquals: ['kms.amazonaws.com'] }, 's3.amazonaws.com', true],
    ['NotStartsWith excludes', { NotStartsWith: ['Describe'] }, 'DescribeTrails', false],
    ['NotStartsWith lets others through', { NotStartsWith: ['Describe'] }, 'StopLogging', true],
    ['NotEndsWith excludes', { NotEndsWith: ['Trails'] }, 'DescribeTrails', false],
    ['NotEndsWith lets others through', { NotEndsWith: ['Trails'] }, 'StopLogging', true],
    ['operators combine with AND', { StartsWith: ['Get'], NotEquals: ['GetTrail'] }, 'GetTrail', false],
    ['no operator accepts anything', {}, 'anything', true],
  ];
  for (const [name, selector, value, expected] of cases) {
    it(name, () => assert.equal(fieldAccepts(field(selector), value), expected));
  }
});

describe('fieldAcceptsDomain: covering every value of a set', () => {
  it('finite domain needs every value accepted', () => {
    const readOnly = { kind: 'finite', values: ['true', 'false'] } as const;
    assert.equal(fieldAcceptsDomain(field({ Equals: ['true', 'false'] }), readOnly), true);
    assert.equal(fieldAcceptsDomain(field({ Equals: ['true'] }), readOnly), false);
    assert.equal(fieldAcceptsDomain(field({ NotEquals: ['false'] }), readOnly), false);
    assert.equal(fieldAcceptsDomain(field({ NotEquals: ['maybe'] }), readOnly), true);
  });

  it('a finite Equals list never covers an open set of strings', () => {
    assert.equal(
      fieldAcceptsDomain(field({ Equals: ['kms.amazonaws.com', 's3.amazonaws.com'] }), anyString),
      false,
    );
  });

  it('StartsWith covers a prefix set only through a prefix of that prefix', () => {
    assert.equal(fieldAcceptsDomain(field({ StartsWith: ['arn:aws:s3'] }), s3Arns), true);
    assert.equal(fieldAcceptsDomain(field({ StartsWith: ['arn:aws:s3:::'] }), s3Arns), true);
    assert.equal(fieldAcceptsDomain(field({ StartsWith: ['arn:aws:s3:::my-bucket/'] }), s3Arns), false);
    assert.equal(fieldAcceptsDomain(field({ StartsWith: [''] }), anyString), true);
    assert.equal(fieldAcceptsDomain(field({ StartsWith: ['a'] }), anyString), false);
  });

  it('EndsWith covers an open set only with the empty suffix', () => {
    assert.equal(fieldAcceptsDomain(field({ EndsWith: [''] }), anyString), true);
    assert.equal(fieldAcceptsDomain(field({ EndsWith: ['/'] }), s3Arns), false);
  });

  it('NotEquals spoils the set only if the excluded value is in it', () => {
    assert.equal(fieldAcceptsDomain(field({ NotEquals: ['arn:aws:s3:::secret/x'] }), s3Arns), false);
    assert.equal(fieldAcceptsDomain(field({ NotEquals: ['arn:aws:lambda:x'] }), s3Arns), true);
  });

  it('NotStartsWith spoils the set if its value overlaps the prefix either way', () => {
    assert.equal(fieldAcceptsDomain(field({ NotStartsWith: ['arn:aws:s3:::logs'] }), s3Arns), false);
    assert.equal(fieldAcceptsDomain(field({ NotStartsWith: ['arn:aws'] }), s3Arns), false);
    assert.equal(fieldAcceptsDomain(field({ NotStartsWith: ['arn:aws:dynamodb'] }), s3Arns), true);
  });

  it('any NotEndsWith value spoils an open set', () => {
    assert.equal(fieldAcceptsDomain(field({ NotEndsWith: ['.json'] }), anyString), false);
    assert.equal(fieldAcceptsDomain(field({ NotEndsWith: [] }), anyString), true);
  });

  it('a fixed field needs that one value accepted', () => {
    const management = { kind: 'fixed', value: 'Management' } as const;
    assert.equal(fieldAcceptsDomain(field({ Equals: ['Management'] }, 'eventCategory'), management), true);
    assert.equal(fieldAcceptsDomain(field({ Equals: ['Data'] }, 'eventCategory'), management), false);
    assert.equal(fieldAcceptsDomain(field({ NotEquals: ['Data'] }, 'eventCategory'), management), true);
  });
});

const advanced = (...fieldSelectors: FieldSelector[]): AdvancedEventSelector => ({
  FieldSelectors: fieldSelectors,
});
const management = field({ Equals: ['Management'] }, 'eventCategory');

describe('advanced selectors against all management events', () => {
  it('eventCategory = Management alone covers them', () => {
    assert.deepEqual(advancedSelectorCovers(advanced(management), ALL_MANAGEMENT_EVENTS), { covers: true });
  });

  it('a readOnly condition narrows it (either value)', () => {
    for (const readOnly of [{ Equals: ['true'] }, { Equals: ['false'] }, { NotEquals: ['false'] }]) {
      const result = advancedSelectorCovers(
        advanced(management, field(readOnly, 'readOnly')),
        ALL_MANAGEMENT_EVENTS,
      );
      assert.equal(result.covers, false);
      assert.equal(result.covers === false && result.field, 'readOnly');
    }
  });

  it('readOnly listing both values still covers reads and writes', () => {
    const both = field({ Equals: ['true', 'false'] }, 'readOnly');
    assert.equal(advancedSelectorCovers(advanced(management, both), ALL_MANAGEMENT_EVENTS).covers, true);
  });

  it('excluding KMS or RDS Data API events narrows it', () => {
    const noKms = field({ NotEquals: ['kms.amazonaws.com'] }, 'eventSource');
    assert.equal(advancedSelectorCovers(advanced(management, noKms), ALL_MANAGEMENT_EVENTS).covers, false);
  });

  it('an eventName StartsWith narrows it (a false PASS in other scanners)', () => {
    const describes = field({ StartsWith: ['Describe'] }, 'eventName');
    assert.equal(
      advancedSelectorCovers(advanced(management, describes), ALL_MANAGEMENT_EVENTS).covers,
      false,
    );
  });

  it('a Data selector does not cover management events', () => {
    const data = field({ Equals: ['Data'] }, 'eventCategory');
    const s3 = field({ Equals: ['AWS::S3::Object'] }, 'resources.type');
    assert.equal(advancedSelectorCovers(advanced(data, s3), ALL_MANAGEMENT_EVENTS).covers, false);
  });

  it('a misspelt category ("Managment") does not count', () => {
    const typo = field({ Equals: ['Managment'] }, 'eventCategory');
    assert.equal(advancedSelectorCovers(advanced(typo), ALL_MANAGEMENT_EVENTS).covers, false);
  });

  it('an unknown field with a real condition narrows it; one with no operator does not', () => {
    const byUser = field({ Equals: ['arn:aws:iam::123456789012:user/alice'] }, 'userIdentity.arn');
    assert.equal(advancedSelectorCovers(advanced(management, byUser), ALL_MANAGEMENT_EVENTS).covers, false);
    assert.equal(
      advancedSelectorCovers(advanced(management, { Field: 'eventSource' }), ALL_MANAGEMENT_EVENTS).covers,
      true,
    );
  });
});

describe('basic selectors', () => {
  it('All with management events and nothing excluded covers them', () => {
    assert.equal(basicSelectorGap({ ReadWriteType: 'All', IncludeManagementEvents: true }), undefined);
  });
  it('the documented defaults (All, management on) apply when fields are absent', () => {
    assert.equal(basicSelectorGap({}), undefined);
  });
  it('each narrowing is named', () => {
    assert.match(
      basicSelectorGap({ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }) ?? '',
      /read-only/,
    );
    assert.match(
      basicSelectorGap({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }) ?? '',
      /write/,
    );
    assert.match(
      basicSelectorGap({ ReadWriteType: 'All', IncludeManagementEvents: false }) ?? '',
      /does not include/,
    );
    assert.match(
      basicSelectorGap({
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        ExcludeManagementEventSources: ['kms.amazonaws.com'],
      }) ?? '',
      /kms\.amazonaws\.com/,
    );
    assert.match(basicSelectorGap({ ReadWriteType: 'Sometimes' }) ?? '', /not All/);
  });
});

describe('managementEventCoverage: one selector must cover reads and writes', () => {
  it('a read-only plus a write-only selector do not add up (basic)', () => {
    const coverage = managementEventCoverage({
      EventSelectors: [
        { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true },
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true },
      ],
    });
    assert.equal(coverage.verdict, 'not-covered');
  });

  it('a read-only plus a write-only selector do not add up (advanced)', () => {
    const coverage = managementEventCoverage({
      AdvancedEventSelectors: [
        advanced(management, field({ Equals: ['true'] }, 'readOnly')),
        advanced(management, field({ Equals: ['false'] }, 'readOnly')),
      ],
    });
    assert.equal(coverage.verdict, 'not-covered');
    assert.equal(coverage.verdict === 'not-covered' && coverage.reasons.length, 2);
  });

  it('finds the covering selector among others', () => {
    const coverage = managementEventCoverage({
      AdvancedEventSelectors: [
        advanced(
          field({ Equals: ['Data'] }, 'eventCategory'),
          field({ Equals: ['AWS::S3::Object'] }, 'resources.type'),
        ),
        { Name: 'mgmt', FieldSelectors: [management] },
      ],
    });
    assert.deepEqual(coverage, { verdict: 'covered', form: 'advanced', index: 1, name: 'mgmt' });
  });

  it('no selectors at all means no management events', () => {
    assert.equal(
      managementEventCoverage({ EventSelectors: [], AdvancedEventSelectors: [] }).verdict,
      'not-covered',
    );
  });

  it('both forms at once cannot be judged', () => {
    const coverage = managementEventCoverage({
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      AdvancedEventSelectors: [advanced(management)],
    });
    assert.equal(coverage.verdict, 'ambiguous');
  });
});

describe('S3 object-level (data) event coverage', () => {
  const data = field({ Equals: ['Data'] }, 'eventCategory');
  const s3Objects = field({ Equals: ['AWS::S3::Object'] }, 'resources.type');

  it('a basic selector with arn:aws:s3 or arn:aws:s3::: covers every bucket; a bucket prefix does not', () => {
    for (const value of ['arn:aws:s3', 'arn:aws:s3:::']) {
      const selectors = {
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: false,
            DataResources: [{ Type: 'AWS::S3::Object', Values: [value] }],
          },
        ],
      };
      assert.equal(s3DataEventCoverage(selectors, 'aws', 'write').verdict, 'covered', value);
      assert.equal(s3DataEventCoverage(selectors, 'aws', 'read').verdict, 'covered', value);
    }
    const oneBucket = {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/'] }],
        },
      ],
    };
    assert.equal(s3DataEventCoverage(oneBucket, 'aws', 'write').verdict, 'not-covered');
    const wrongPartition = {
      EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
    };
    assert.equal(s3DataEventCoverage(wrongPartition, 'aws-cn', 'write').verdict, 'not-covered');
  });

  it('basic ReadWriteType decides reads and writes', () => {
    const only = (rw: string) => ({
      EventSelectors: [
        { ReadWriteType: rw, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
      ],
    });
    assert.equal(s3DataEventCoverage(only('WriteOnly'), 'aws', 'write').verdict, 'covered');
    assert.equal(s3DataEventCoverage(only('WriteOnly'), 'aws', 'read').verdict, 'not-covered');
    assert.equal(s3DataEventCoverage(only('ReadOnly'), 'aws', 'read').verdict, 'covered');
    assert.equal(s3DataEventCoverage(only('ReadOnly'), 'aws', 'write').verdict, 'not-covered');
  });

  it('a Lambda-only data selector is not S3 coverage', () => {
    const lambda = {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }],
        },
      ],
    };
    assert.equal(s3DataEventCoverage(lambda, 'aws', 'write').verdict, 'not-covered');
  });

  it('advanced: Data on AWS::S3::Object covers both; readOnly limits to one side (Prowler ignores this)', () => {
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects)] }, 'aws', 'read').verdict,
      'covered',
    );
    const writesOnly = {
      AdvancedEventSelectors: [advanced(data, s3Objects, field({ Equals: ['false'] }, 'readOnly'))],
    };
    assert.equal(s3DataEventCoverage(writesOnly, 'aws', 'write').verdict, 'covered');
    assert.equal(s3DataEventCoverage(writesOnly, 'aws', 'read').verdict, 'not-covered');
  });

  it('advanced: naming eventSource s3.amazonaws.com narrows nothing; a bucket ARN prefix or an eventName does', () => {
    const source = field({ Equals: ['s3.amazonaws.com'] }, 'eventSource');
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects, source)] }, 'aws', 'write')
        .verdict,
      'covered',
    );
    const allBuckets = field({ StartsWith: ['arn:aws:s3:::'] }, 'resources.ARN');
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects, allBuckets)] }, 'aws', 'write')
        .verdict,
      'covered',
    );
    const oneBucket = field({ StartsWith: ['arn:aws:s3:::logs/'] }, 'resources.ARN');
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects, oneBucket)] }, 'aws', 'write')
        .verdict,
      'not-covered',
    );
    const excluded = field({ NotStartsWith: ['arn:aws:s3:::secret/'] }, 'resources.ARN');
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects, excluded)] }, 'aws', 'write')
        .verdict,
      'not-covered',
    );
    const puts = field({ Equals: ['PutObject'] }, 'eventName');
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(data, s3Objects, puts)] }, 'aws', 'write')
        .verdict,
      'not-covered',
    );
  });

  it('a management-only selector does not record data events', () => {
    assert.equal(
      s3DataEventCoverage({ AdvancedEventSelectors: [advanced(management)] }, 'aws', 'write').verdict,
      'not-covered',
    );
    assert.equal(
      s3DataEventCoverage(
        { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
        'aws',
        'write',
      ).verdict,
      'not-covered',
    );
  });
});

describe('managementEventCoverage with tolerated sources: a left-out source counts only when tolerated', () => {
  const KMS = 'kms.amazonaws.com';
  const RDS = 'rdsdata.amazonaws.com';
  const basic = (excluded: string[]) => ({
    EventSelectors: [
      {
        ReadWriteType: 'All' as const,
        IncludeManagementEvents: true,
        ExcludeManagementEventSources: excluded,
      },
    ],
  });
  const advanced = (eventSource: Record<string, string[]>) => ({
    AdvancedEventSelectors: [
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', ...eventSource },
        ],
      },
    ],
  });
  const cases: Array<
    [string, Parameters<typeof managementEventCoverage>[0], string[], 'covered' | 'not-covered']
  > = [
    ['basic, KMS left out, nothing tolerated', basic([KMS]), [], 'not-covered'],
    ['basic, KMS left out, KMS tolerated', basic([KMS]), [KMS, RDS], 'covered'],
    ['basic, KMS and RDS left out, RDS only tolerated', basic([KMS, RDS]), [RDS], 'not-covered'],
    ['advanced NotEquals KMS, nothing tolerated', advanced({ NotEquals: [KMS] }), [], 'not-covered'],
    ['advanced NotEquals KMS, KMS tolerated', advanced({ NotEquals: [KMS] }), [KMS, RDS], 'covered'],
    [
      'advanced NotEquals KMS and RDS, RDS only tolerated',
      advanced({ NotEquals: [KMS, RDS] }),
      [RDS],
      'not-covered',
    ],
    ['advanced NotEquals RDS, RDS tolerated', advanced({ NotEquals: [RDS] }), [RDS], 'covered'],
    [
      'advanced NotStartsWith kms, KMS tolerated: leaves out more than KMS',
      advanced({ NotStartsWith: ['kms'] }),
      [KMS],
      'not-covered',
    ],
    [
      'advanced Equals KMS, KMS tolerated: records KMS only',
      advanced({ Equals: [KMS] }),
      [KMS],
      'not-covered',
    ],
    ['advanced StartsWith "", KMS tolerated', advanced({ StartsWith: [''] }), [KMS], 'covered'],
  ];
  for (const [name, selectors, tolerated, verdict] of cases)
    it(`${name}: ${verdict}`, () =>
      assert.equal(managementEventCoverage(selectors, tolerated).verdict, verdict));
});
