import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CIS_MONITORING_PATTERNS,
  CIS_VERSIONS,
  cisCoverage,
  cisMeanings,
  type CisPattern,
} from './cis-patterns.js';
import {
  coverage,
  coverageOfText,
  matches,
  parseFilterPattern,
  type CoverageVerdict,
  type Expression,
  type FilterPattern,
} from './filter-pattern.js';

function parsed(text: string): FilterPattern {
  const result = parseFilterPattern(text);
  if (!result.ok) assert.fail(`${text}: ${result.message}`);
  return result.pattern;
}

const pattern = (control: string, version: (typeof CIS_VERSIONS)[number]): CisPattern => {
  const found = CIS_MONITORING_PATTERNS[control]?.[version];
  if (!found) assert.fail(`no CIS pattern for ${control} ${version}`);
  return found;
};

const summaries = (verdict: CoverageVerdict): string[] =>
  verdict.verdict === 'misses' ? verdict.misses.map((m) => m.summary) : [];

describe('parseFilterPattern: errors name the position and what was expected', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['value missing', '{ $.eventName = }', 16, /expected a value/],
    ['unclosed brace', '{ $.eventName = "DeleteTrail" ', 30, /expected "}"/],
    ['doubled operator', '{ $.eventName == "x" }', 15, /expected a value .* found '='/],
    ['selector without $', '{ eventName = "x" }', 2, /expected a selector/],
    ['text pattern', 'ERROR', 0, /only JSON filter patterns/],
    ['unclosed quote', '{ $.a = "x }', 12, /closing "/],
    ['IS without a known word', '{ $.a IS MAYBE }', 9, /NULL, TRUE or FALSE after IS/],
    ['NOT without EXISTS', '{ $.a NOT THERE }', 10, /EXISTS after NOT/],
    ['regular expression value', '{ $.a = %ab+% }', 8, /regular expressions are not supported/],
    ['single ampersand', '{ $.a = "x" & $.b = "y" }', 12, /expected "&&"/],
    ['ordering against a string', '{ $.a > "x" }', 8, /a number after ">"/],
    ['empty pattern', '   ', 0, /empty pattern/],
    ['text after the closing brace', '{ $.a = 1 } extra', 12, /the end of the pattern after "}"/],
    ['unbalanced parenthesis', '{ ($.a = 1 }', 11, /expected "\)"/],
    ['empty field name', '{ $.a. = 1 }', 6, /field name/],
    ['array index not a number', '{ $.a[x] = 1 }', 6, /array index/],
  ];
  for (const [name, text, offset, message] of cases) {
    it(name, () => {
      const result = parseFilterPattern(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.offset, offset, result.message);
      assert.match(result.message, message);
      assert.match(result.message, new RegExp(`at column ${offset + 1}\\b`));
    });
  }
});

describe('matches: a pattern is a predicate over one JSON event', () => {
  const event = {
    eventName: 'ConsoleLogin',
    errorCode: 'Client.UnauthorizedOperation',
    userIdentity: { type: 'Root' },
    additionalEventData: { MFAUsed: 'No' },
    resources: [{ ARN: 'arn:aws:s3:::b' }, { ARN: 'arn:aws:s3:::c' }],
    readOnly: false,
    latency: 120,
    nothing: null,
  };
  const cases: Array<[string, string, boolean]> = [
    ['quoted equality', '{ $.eventName = "ConsoleLogin" }', true],
    ['bare equality', '{ $.eventName = ConsoleLogin }', true],
    ['equality is case sensitive', '{ $.eventName = consolelogin }', false],
    ['inequality', '{ $.eventName != "DeleteTrail" }', true],
    ['leading wildcard', '{ $.errorCode = "*UnauthorizedOperation" }', true],
    ['trailing wildcard misses', '{ $.errorCode = "AccessDenied*" }', false],
    ['wildcard alone', '{ $.errorCode = * }', true],
    ['nested field', '{ $.userIdentity.type = "Root" }', true],
    ['array element', '{ $.resources[1].ARN = "arn:aws:s3:::c" }', true],
    ['array element out of range', '{ $.resources[5].ARN = "*" }', false],
    ['NOT EXISTS on an absent field', '{ $.userIdentity.invokedBy NOT EXISTS }', true],
    ['NOT EXISTS on a present field', '{ $.eventName NOT EXISTS }', false],
    ['IS NULL', '{ $.nothing IS NULL }', true],
    ['IS FALSE', '{ $.readOnly IS FALSE }', true],
    ['IS TRUE', '{ $.readOnly IS TRUE }', false],
    ['number comparison', '{ $.latency > 100 && $.latency <= 120 }', true],
    ['number equality', '{ $.latency = 120 }', true],
    ['!= needs the field to be there', '{ $.missing != "x" }', false],
    [
      '&& and || with parentheses',
      '{ ($.eventName = X || $.eventName = ConsoleLogin) && $.userIdentity.type = Root }',
      true,
    ],
    [
      '&& binds tighter than ||',
      '{ $.eventName = ConsoleLogin || $.eventName = X && $.eventName = Y }',
      true,
    ],
    ['quoted value with an escaped quote', '{ $.eventName = "Console\\"Login" }', false],
  ];
  for (const [name, text, expected] of cases)
    it(name, () => assert.equal(matches(parsed(text), event), expected));

  it('keeps the left-to-right reading only when && and || are mixed without parentheses', () => {
    assert.equal(parsed('{ $.a = 1 || $.b = 2 && $.c = 3 }').leftToRight?.kind, 'and');
    assert.equal(parsed('{ ($.a = 1 || $.b = 2) && $.c = 3 }').leftToRight, undefined);
  });
});

describe('CIS patterns: every check and version covers itself', () => {
  for (const [control, versions] of Object.entries(CIS_MONITORING_PATTERNS))
    for (const [version, cis] of Object.entries(versions)) {
      it(`${control} ${version}`, () => {
        assert.deepEqual(cisCoverage(cis.text, cis), { verdict: 'covers' });
        for (const alternative of cis.alternatives ?? [])
          assert.deepEqual(cisCoverage(alternative, cis), { verdict: 'covers' });
        // Every table entry parses: its meaning and each alternative (cisMeanings throws otherwise).
        assert.equal(cisMeanings(cis).length, 1 + (cis.alternatives?.length ?? 0));
      });
    }

  it('every version of the benchmark has the fourteen Security Hub checks', () => {
    for (const version of CIS_VERSIONS)
      for (let n = 1; n <= 14; n++)
        assert.ok(CIS_MONITORING_PATTERNS[`CloudWatch.${n}`]?.[version], `${n} ${version}`);
  });
});

describe('cisCoverage: spellings that mean at least as much pass', () => {
  const cases: Array<[string, string, (typeof CIS_VERSIONS)[number], string]> = [
    [
      'no spaces, reordered, all quoted',
      'CloudWatch.5',
      'cis-3.0',
      '{($.eventName="StopLogging")||($.eventName="StartLogging")||($.eventName="DeleteTrail")||($.eventName="UpdateTrail")||($.eventName="CreateTrail")}',
    ],
    [
      'no parentheses, extra OR terms',
      'CloudWatch.5',
      'cis-5.0',
      '{ $.eventName = CreateTrail || $.eventName = UpdateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || $.eventName = StopLogging || $.eventName = PutEventSelectors }',
    ],
    [
      'a superset wildcard',
      'CloudWatch.5',
      'cis-4.0',
      '{ ($.eventName = "*Trail") || ($.eventName = "*Logging") }',
    ],
    ['every event', 'CloudWatch.4', 'cis-1.2', '{ $.eventName = * }'],
    [
      'CMK check with terms swapped and the source quoted',
      'CloudWatch.7',
      'cis-4.0',
      '{ (($.eventName = "ScheduleKeyDeletion") || ($.eventName = "DisableKey")) && ($.eventSource = "kms.amazonaws.com") }',
    ],
    [
      'CMK check without the source test (catches more)',
      'CloudWatch.7',
      'cis-3.0',
      '{ $.eventName = DisableKey || $.eventName = ScheduleKeyDeletion }',
    ],
    [
      'unauthorized calls with explicit parentheses',
      'CloudWatch.2',
      'cis-3.0',
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    ],
    [
      'unauthorized calls without the exclusions (catches more)',
      'CloudWatch.2',
      'cis-5.0',
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    ],
    [
      'a broader wildcard',
      'CloudWatch.2',
      'cis-1.2',
      '{ ($.errorCode = "*Unauthorized*") || ($.errorCode = "Access*") }',
    ],
    [
      'root use without the invokedBy test (catches more)',
      'CloudWatch.1',
      'cis-3.0',
      '{ $.userIdentity.type = Root && $.eventType != AwsServiceEvent }',
    ],
    [
      'the SSO alternative in v1.4',
      'CloudWatch.3',
      'cis-1.4',
      '{ $.responseElements.ConsoleLogin = "Success" && $.userIdentity.type = "IAMUser" && $.additionalEventData.MFAUsed != "Yes" && $.eventName = "ConsoleLogin" }',
    ],
  ];
  for (const [name, control, version, candidate] of cases)
    it(`${name} (${control} ${version})`, () =>
      assert.deepEqual(cisCoverage(candidate, pattern(control, version)), { verdict: 'covers' }));
});

describe('cisCoverage: patterns that miss events CIS lists fail and name them', () => {
  const cases: Array<[string, string, (typeof CIS_VERSIONS)[number], string, string[]]> = [
    [
      'a trail event left out',
      'CloudWatch.5',
      'cis-3.0',
      '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
      ['eventName=DeleteTrail'],
    ],
    [
      'two IAM events left out',
      'CloudWatch.4',
      'cis-5.0',
      '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)}',
      ['eventName=AttachGroupPolicy', 'eventName=DetachGroupPolicy'],
    ],
    [
      'a CMK event left out',
      'CloudWatch.7',
      'cis-1.2',
      '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }',
      ['eventSource=kms.amazonaws.com, eventName=ScheduleKeyDeletion'],
    ],
    [
      'a wildcard dropped',
      'CloudWatch.2',
      'cis-1.2',
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied") }',
      ['errorCode=AccessDenied…'],
    ],
    [
      'an Organizations event left out',
      'TC.OrganizationsChanges',
      'cis-4.0',
      pattern('TC.OrganizationsChanges', 'cis-4.0').text.replace(
        '($.eventName = "LeaveOrganization") || ',
        '',
      ),
      ['eventSource=organizations.amazonaws.com, eventName=LeaveOrganization'],
    ],
    [
      'the IAM-user-only variant where v1.2 wants every sign-in',
      'CloudWatch.3',
      'cis-1.2',
      pattern('CloudWatch.3', 'cis-1.4').alternatives?.[0] as string,
      ['eventName=ConsoleLogin, additionalEventData.MFAUsed=…'],
    ],
    [
      'an extra AND term narrows the filter',
      'CloudWatch.6',
      'cis-3.0',
      '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.userIdentity.type = IAMUser) }',
      ['eventName=ConsoleLogin, errorMessage=Failed authentication'],
    ],
  ];
  for (const [name, control, version, candidate, expected] of cases)
    it(`${name} (${control} ${version})`, () => {
      const verdict = cisCoverage(candidate, pattern(control, version));
      assert.equal(verdict.verdict, 'misses');
      assert.deepEqual(summaries(verdict), expected);
    });

  it('a candidate mixing && and || without parentheses must cover in both readings', () => {
    // && first: A || (B && X) covers A; left to right: (A || B) && X does not.
    const verdict = cisCoverage(
      '{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" && $.eventName = "X" }',
      pattern('CloudWatch.2', 'cis-1.2'),
    );
    assert.equal(verdict.verdict, 'misses');
    assert.match(summaries(verdict)[0] as string, /^errorCode=.*UnauthorizedOperation/);
  });

  it('an unparseable candidate is reported with the parser reason, never as covering', () => {
    const verdict = cisCoverage('{ $.eventName = CreateTrail ', pattern('CloudWatch.5', 'cis-3.0'));
    assert.deepEqual(verdict, {
      verdict: 'unparseable',
      reason: 'expected "}" at column 29, found the end of the pattern',
    });
  });

  it('each miss carries an event the reference matches and the candidate does not', () => {
    const reference = parsed(pattern('CloudWatch.8', 'cis-3.0').text);
    const candidate = parsed('{ $.eventSource = s3.amazonaws.com && $.eventName = "Put*" }');
    const verdict = coverage(candidate, reference.expression);
    assert.equal(verdict.verdict, 'misses');
    if (verdict.verdict !== 'misses') return;
    assert.equal(verdict.misses.length, 4);
    for (const miss of verdict.misses) {
      const event = eventFrom(miss.example);
      assert.ok(matches(reference, event) && !matches(candidate, event), miss.summary);
    }
  });
});

/** A JSON event from selector → value pairs. */
function eventFrom(example: Record<string, unknown>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(example)) {
    const names = path.slice(2).split('.');
    let node = event;
    names.slice(0, -1).forEach((name) => {
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    });
    node[names[names.length - 1] as string] = value;
  }
  return event;
}

describe('coverage: property over random patterns and events', () => {
  const FIELDS = ['$.eventName', '$.eventSource', '$.errorCode'];
  const WORDS = ['DeleteTrail', 'Delete', 'Trail', 'AccessDenied', 'Denied', 'kms.amazonaws.com', 'x'];
  const globValue = fc
    .tuple(fc.boolean(), fc.constantFrom(...WORDS), fc.boolean())
    .map(([lead, word, trail]) => `${lead ? '*' : ''}${word}${trail ? '*' : ''}`);
  const leaf = fc.oneof(
    fc
      .record({
        field: fc.constantFrom(...FIELDS),
        op: fc.constantFrom('=', '!='),
        value: globValue,
        quoted: fc.boolean(),
      })
      .map(({ field, op, value, quoted }) => `${field} ${op} ${quoted ? `"${value}"` : value}`),
    fc.constantFrom(...FIELDS).map((field) => `${field} NOT EXISTS`),
  );
  const { expression } = fc.letrec<{ expression: string }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .tuple(tie('expression'), fc.constantFrom('&&', '||'), tie('expression'), fc.boolean())
        // Without parentheses, chains mix && and || and exercise both readings.
        .map(([left, op, right, grouped]) =>
          grouped ? `(${left}) ${op} (${right})` : `${left} ${op} ${right}`,
        ),
    ),
  }));
  const patternText = expression.map((inner) => `{ ${inner} }`);
  const fieldValue = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...WORDS),
    // Joined words reach the overlaps of heads, middles and tails (`DeleteTrail` is `Delete*` and `*Trail`).
    fc
      .array(fc.constantFrom('Z', '~', ...WORDS), { minLength: 2, maxLength: 3 })
      .map((parts) => parts.join('')),
    fc.string({ maxLength: 4 }),
  );
  const event = fc.tuple(fieldValue, fieldValue, fieldValue).map(([eventName, eventSource, errorCode]) => {
    const e: Record<string, unknown> = {};
    if (eventName !== undefined) e.eventName = eventName;
    if (eventSource !== undefined) e.eventSource = eventSource;
    if (errorCode !== undefined) e.errorCode = errorCode;
    return e;
  });

  it('when the candidate covers the reference, every event the reference matches the candidate matches', () => {
    fc.assert(
      fc.property(
        patternText,
        patternText,
        fc.array(event, { maxLength: 30 }),
        (candidateText, referenceText, events) => {
          const candidate = parsed(candidateText);
          const reference = parsed(referenceText).expression;
          const verdict = coverage(candidate, reference);
          const referencePattern: FilterPattern = { text: referenceText, expression: reference };
          if (verdict.verdict === 'covers')
            for (const e of events)
              if (matches(referencePattern, e)) assert.ok(matches(candidate, e), JSON.stringify(e));
          if (verdict.verdict === 'misses')
            for (const miss of verdict.misses) {
              const e = eventFrom(miss.example);
              // A miss may belong to the other reading of a candidate that mixes && and ||.
              const readings = [
                candidate.expression,
                ...(candidate.leftToRight ? [candidate.leftToRight] : []),
              ];
              const missedBySome = readings.some((expression) => !matches({ ...candidate, expression }, e));
              assert.ok(matches(referencePattern, e) && missedBySome, miss.summary);
            }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  });

  it('the same holds against the CIS patterns themselves', () => {
    const references: Expression[] = Object.values(CIS_MONITORING_PATTERNS).flatMap((versions) =>
      Object.values(versions).flatMap((cis) => cisMeanings(cis)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...references),
        patternText,
        fc.array(event, { maxLength: 30 }),
        (reference, candidateText, events) => {
          const candidate = parsed(candidateText);
          const referencePattern: FilterPattern = { text: '', expression: reference };
          if (coverage(candidate, reference).verdict === 'covers')
            for (const e of events)
              if (matches(referencePattern, e)) assert.ok(matches(candidate, e), JSON.stringify(e));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('running out of combinations gives undecided, never covers', () => {
    const reference = parsed(pattern('CloudWatch.4', 'cis-3.0').text).expression;
    const verdict = coverage(parsed('{ $.eventName = * }'), reference, 5);
    assert.equal(verdict.verdict, 'undecided');
  });

  it('coverageOfText reports bad input in one line', () => {
    const verdict = coverageOfText('{ $.a = ', parsed('{ $.a = 1 }').expression);
    assert.equal(verdict.verdict, 'unparseable');
    if (verdict.verdict === 'unparseable') assert.doesNotMatch(verdict.reason, /\n/);
  });
});
