/**
 * An exact evaluator of CloudTrail event selectors, basic and advanced.
 *
 * Advanced selectors are a small algebra: a selector is the AND of its field selectors; a field selector
 * is the AND of its operators; `Equals`, `StartsWith` and `EndsWith` match if any listed value matches,
 * `NotEquals`, `NotStartsWith` and `NotEndsWith` match if none does. A trail records an event if any of
 * its selectors matches it.
 *
 * The question the controls ask is not "does this selector match this event" but "does this one selector
 * match *every* event of a class" (all management events, reads and writes, from every source). That is
 * answered symbolically: each field of the class is either fixed (eventCategory = Management), drawn from
 * a finite set (readOnly ∈ {true, false}), or any string with a given prefix (eventSource, or resources.ARN
 * within arn:aws:s3:::). A field selector covers the class only if it accepts every value of that set.
 * Anything the evaluator does not understand narrows the selector, so doubt never turns into PASS.
 */
import type {
  AdvancedEventSelector,
  BasicEventSelector,
  EventSelectors,
  FieldSelector,
} from '../snapshot/schema.js';

/** The values a field takes across an event class. */
export type FieldDomain =
  | { kind: 'fixed'; value: string }
  | { kind: 'finite'; values: readonly string[] }
  /** Every string that starts with `prefix` ('' means every string). */
  | { kind: 'prefix'; prefix: string }
  /** Every string except these few (the event sources a trail may leave out and still qualify). */
  | { kind: 'except'; values: readonly string[] };

/** A class of events: the domain of each field the class constrains; other fields range over all strings. */
export type EventClass = Readonly<Record<string, FieldDomain>>;

const ANY_STRING: FieldDomain = { kind: 'prefix', prefix: '' };

const POSITIVE_OPERATORS = ['Equals', 'StartsWith', 'EndsWith'] as const;
const NEGATIVE_OPERATORS = ['NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

/** Does a field selector accept one concrete value? */
export function fieldAccepts(selector: FieldSelector, value: string): boolean {
  // A present positive operator must match one of its values (an empty list matches nothing).
  if (selector.Equals !== undefined && !selector.Equals.includes(value)) return false;
  if (selector.StartsWith !== undefined && !selector.StartsWith.some((p) => value.startsWith(p)))
    return false;
  if (selector.EndsWith !== undefined && !selector.EndsWith.some((s) => value.endsWith(s))) return false;
  // A negative operator must match none of its values.
  if (selector.NotEquals?.includes(value)) return false;
  if (selector.NotStartsWith?.some((p) => value.startsWith(p))) return false;
  if (selector.NotEndsWith?.some((s) => value.endsWith(s))) return false;
  return true;
}

/**
 * Does a field selector accept every string that starts with `prefix`? Exact reasoning per operator:
 * a finite Equals list can never cover infinitely many strings; StartsWith covers them only through a
 * value that is itself a prefix of `prefix`; EndsWith only through ''; a negative operator spoils the set
 * as soon as one of its values can occur in it.
 */
function fieldAcceptsAllWithPrefix(selector: FieldSelector, prefix: string): boolean {
  if (selector.Equals !== undefined) return false;
  if (selector.StartsWith !== undefined && !selector.StartsWith.some((p) => prefix.startsWith(p)))
    return false;
  if (selector.EndsWith !== undefined && !selector.EndsWith.includes('')) return false;
  if (selector.NotEquals?.some((v) => v.startsWith(prefix))) return false;
  if (selector.NotStartsWith?.some((p) => p.startsWith(prefix) || prefix.startsWith(p))) return false;
  // Any suffix s occurs in the set (prefix + s), so any NotEndsWith value excludes something.
  if (selector.NotEndsWith !== undefined && selector.NotEndsWith.length > 0) return false;
  return true;
}

/**
 * Does a field selector accept every string but `excepted`? Only through negative equality on values of
 * `excepted` (or a positive operator that accepts everything: StartsWith or EndsWith ''); any other
 * condition leaves out infinitely many strings.
 */
function fieldAcceptsAllExcept(selector: FieldSelector, excepted: readonly string[]): boolean {
  if (selector.Equals !== undefined) return false;
  if (selector.StartsWith !== undefined && !selector.StartsWith.includes('')) return false;
  if (selector.EndsWith !== undefined && !selector.EndsWith.includes('')) return false;
  if (selector.NotEquals?.some((v) => !excepted.includes(v))) return false;
  if (selector.NotStartsWith !== undefined && selector.NotStartsWith.length > 0) return false;
  if (selector.NotEndsWith !== undefined && selector.NotEndsWith.length > 0) return false;
  return true;
}

export function fieldAcceptsDomain(selector: FieldSelector, domain: FieldDomain): boolean {
  switch (domain.kind) {
    case 'except':
      return fieldAcceptsAllExcept(selector, domain.values);
    case 'fixed':
      return fieldAccepts(selector, domain.value);
    case 'finite':
      return domain.values.every((value) => fieldAccepts(selector, value));
    case 'prefix':
      return fieldAcceptsAllWithPrefix(selector, domain.prefix);
  }
}

/** True if the field selector uses no operator at all (AWS rejects these; they restrict nothing). */
function isEmptyFieldSelector(selector: FieldSelector): boolean {
  return [...POSITIVE_OPERATORS, ...NEGATIVE_OPERATORS].every((op) => selector[op] === undefined);
}

export type SelectorCoverage =
  | { covers: true }
  /** `field` is the field whose condition keeps the selector from covering the class. */
  | { covers: false; field: string; selector: FieldSelector };

/** Does one advanced selector match every event of the class? */
export function advancedSelectorCovers(
  selector: AdvancedEventSelector,
  eventClass: EventClass,
): SelectorCoverage {
  for (const field of selector.FieldSelectors) {
    if (isEmptyFieldSelector(field)) continue;
    const domain = eventClass[field.Field] ?? ANY_STRING;
    if (!fieldAcceptsDomain(field, domain)) return { covers: false, field: field.Field, selector: field };
  }
  return { covers: true };
}

// ---- The event classes the controls ask about -------------------------------------------------------

/** Every management event: reads and writes, from every event source. */
export const ALL_MANAGEMENT_EVENTS: EventClass = {
  eventCategory: { kind: 'fixed', value: 'Management' },
  readOnly: { kind: 'finite', values: ['true', 'false'] },
};

// ---- Management-event coverage ----------------------------------------------------------------------

export type ManagementCoverage =
  | { verdict: 'covered'; form: 'basic' | 'advanced'; index: number; name?: string }
  | { verdict: 'not-covered'; form: 'basic' | 'advanced' | 'none'; reasons: string[] }
  /** AWS never returns both forms; if a snapshot does, which one is in force cannot be known. */
  | { verdict: 'ambiguous'; reason: string };

/** The verdict on a trail whose selectors come in both forms, for management and S3 coverage alike. */
const BOTH_FORMS: ManagementCoverage = {
  verdict: 'ambiguous',
  reason:
    'GetEventSelectors returned both basic and advanced selectors, which AWS never does, so which set is in force cannot be told',
};

/**
 * Why a basic selector does not record every management event, or undefined if it does. `tolerated`: event
 * sources it may leave out all the same (see event-sources.ts).
 */
export function basicSelectorGap(
  selector: BasicEventSelector,
  tolerated: readonly string[] = [],
): string | undefined {
  // Defaults as documented for PutEventSelectors: IncludeManagementEvents true, ReadWriteType All.
  if (selector.IncludeManagementEvents === false) return 'it does not include management events';
  const readWrite = selector.ReadWriteType ?? 'All';
  if (readWrite === 'ReadOnly')
    return 'it records read-only management events only, so changes are not recorded';
  if (readWrite === 'WriteOnly') return 'it records write management events only, so reads are not recorded';
  if (readWrite !== 'All') return `its ReadWriteType is '${readWrite}', which is not All`;
  const excluded = (selector.ExcludeManagementEventSources ?? []).filter((s) => !tolerated.includes(s));
  if (excluded.length > 0) return `it excludes management events from ${excluded.join(', ')}`;
  return undefined;
}

function describeNarrowing(field: string, selector: FieldSelector): string {
  if (field === 'eventCategory')
    return `it selects ${JSON.stringify(selector)} events, not management events`;
  if (field === 'readOnly') {
    const values = selector.Equals ?? selector.NotEquals ?? [];
    const onlyReads =
      (selector.Equals !== undefined && values.length === 1 && values[0] === 'true') ||
      (selector.NotEquals !== undefined && values.length === 1 && values[0] === 'false');
    const onlyWrites =
      (selector.Equals !== undefined && values.length === 1 && values[0] === 'false') ||
      (selector.NotEquals !== undefined && values.length === 1 && values[0] === 'true');
    if (onlyReads) return 'it records read-only management events only, so changes are not recorded';
    if (onlyWrites) return 'it records write management events only, so reads are not recorded';
    return `its readOnly condition ${JSON.stringify(selector)} does not select both reads and writes`;
  }
  const conditions = [...POSITIVE_OPERATORS, ...NEGATIVE_OPERATORS]
    .filter((op) => selector[op] !== undefined)
    .map((op) => `${op} ${JSON.stringify(selector[op])}`)
    .join(' and ');
  return `it narrows ${field} (${conditions})`;
}

/** Every management event except those of the `tolerated` sources. */
export function managementEventsExcept(tolerated: readonly string[]): EventClass {
  return tolerated.length === 0
    ? ALL_MANAGEMENT_EVENTS
    : { ...ALL_MANAGEMENT_EVENTS, eventSource: { kind: 'except', values: tolerated } };
}

/**
 * Does some single selector record every read and write management event? A read-only selector plus a
 * write-only selector does not count, matching the AWS Config rule behind Security Hub CloudTrail.1.
 * `tolerated`: event sources a selector may leave out and still count (none for CloudTrail.1; the
 * monitoring checks whose pattern does not need them, see event-sources.ts).
 */
export function managementEventCoverage(
  selectors: EventSelectors,
  tolerated: readonly string[] = [],
): ManagementCoverage {
  const basic = selectors.EventSelectors ?? [];
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (basic.length > 0 && advanced.length > 0) return BOTH_FORMS;
  if (basic.length > 0) {
    const reasons: string[] = [];
    for (const [index, selector] of basic.entries()) {
      const gap = basicSelectorGap(selector, tolerated);
      if (gap === undefined) return { verdict: 'covered', form: 'basic', index };
      reasons.push(`event selector ${index + 1}: ${gap}`);
    }
    return { verdict: 'not-covered', form: 'basic', reasons };
  }
  if (advanced.length > 0) {
    const reasons: string[] = [];
    for (const [index, selector] of advanced.entries()) {
      const coverage = advancedSelectorCovers(selector, managementEventsExcept(tolerated));
      const label = selector.Name ? `advanced selector '${selector.Name}'` : `advanced selector ${index + 1}`;
      if (coverage.covers) {
        return selector.Name !== undefined
          ? { verdict: 'covered', form: 'advanced', index, name: selector.Name }
          : { verdict: 'covered', form: 'advanced', index };
      }
      reasons.push(`${label}: ${describeNarrowing(coverage.field, coverage.selector)}`);
    }
    return { verdict: 'not-covered', form: 'advanced', reasons };
  }
  return {
    verdict: 'not-covered',
    form: 'none',
    reasons: ['the trail has no event selectors, so it records no management events'],
  };
}

// ---- S3 object-level (data) events ------------------------------------------------------------------

export type S3Access = 'read' | 'write';

/** Every S3 object read (or write) in every bucket, current and future. */
export function s3ObjectEvents(partition: string, access: S3Access): EventClass {
  return {
    eventCategory: { kind: 'fixed', value: 'Data' },
    'resources.type': { kind: 'fixed', value: 'AWS::S3::Object' },
    // Every S3 data event comes from this source, so naming it narrows nothing.
    eventSource: { kind: 'fixed', value: 's3.amazonaws.com' },
    readOnly: { kind: 'fixed', value: access === 'read' ? 'true' : 'false' },
    'resources.ARN': { kind: 'prefix', prefix: `arn:${partition}:s3:::` },
  };
}

/**
 * A basic DataResources value selects objects whose ARN starts with it; it covers every bucket only when it
 * is a prefix of "arn:PARTITION:s3:::" itself ("arn:aws:s3" or "arn:aws:s3:::", as AWS documents).
 */
export function coversAllBuckets(value: string, partition: string): boolean {
  const all = `arn:${partition}:s3:::`;
  return all.startsWith(value) && value.startsWith(`arn:${partition}:s3`);
}

function basicCoversAccess(readWriteType: string | undefined, access: S3Access): boolean {
  const type = readWriteType ?? 'All';
  return type === 'All' || (access === 'read' ? type === 'ReadOnly' : type === 'WriteOnly');
}

/** Does one selector record every S3 object read (or write) in every bucket? */
export function s3DataEventCoverage(
  selectors: EventSelectors,
  partition: string,
  access: S3Access,
): ManagementCoverage {
  const basic = selectors.EventSelectors ?? [];
  const advanced = selectors.AdvancedEventSelectors ?? [];
  const verb = access === 'read' ? 'reads' : 'writes';
  if (basic.length > 0 && advanced.length > 0) return BOTH_FORMS;
  if (basic.length > 0) {
    const reasons: string[] = [];
    for (const [index, selector] of basic.entries()) {
      const s3 = (selector.DataResources ?? []).filter((d) => d.Type === 'AWS::S3::Object');
      if (s3.length === 0) {
        reasons.push(`event selector ${index + 1}: it selects no S3 object data events`);
        continue;
      }
      if (!basicCoversAccess(selector.ReadWriteType, access)) {
        reasons.push(
          `event selector ${index + 1}: its ReadWriteType ${selector.ReadWriteType ?? 'All'} leaves out ${verb}`,
        );
        continue;
      }
      const values = s3.flatMap((d) => d.Values ?? []);
      if (values.some((v) => coversAllBuckets(v, partition)))
        return { verdict: 'covered', form: 'basic', index };
      reasons.push(
        `event selector ${index + 1}: it covers only ${values.join(', ') || 'no bucket'}, not every bucket`,
      );
    }
    return { verdict: 'not-covered', form: 'basic', reasons };
  }
  if (advanced.length > 0) {
    const eventClass = s3ObjectEvents(partition, access);
    const reasons: string[] = [];
    for (const [index, selector] of advanced.entries()) {
      const coverage = advancedSelectorCovers(selector, eventClass);
      if (coverage.covers) {
        return selector.Name !== undefined
          ? { verdict: 'covered', form: 'advanced', index, name: selector.Name }
          : { verdict: 'covered', form: 'advanced', index };
      }
      const label = selector.Name ? `advanced selector '${selector.Name}'` : `advanced selector ${index + 1}`;
      reasons.push(
        `${label}: its ${coverage.field} condition ${JSON.stringify(stripField(coverage.selector))} does not take in every S3 object ${access}`,
      );
    }
    return { verdict: 'not-covered', form: 'advanced', reasons };
  }
  return { verdict: 'not-covered', form: 'none', reasons: ['the trail has no event selectors'] };
}

function stripField(selector: FieldSelector): Omit<FieldSelector, 'Field'> {
  const { Field: _field, ...conditions } = selector;
  return conditions;
}
