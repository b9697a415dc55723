/**
 * The frameworks trailcheck can number its controls by, and the vocabulary for doing so. Which number a
 * control has in each framework is declared in the control's own folder (`frameworks: listedAs({...})`);
 * src/controls/frameworks.ts gathers them into the tables below. Sources: ../shared/docs/controls-spec.md §0
 * and §3, monitoring-spec.md.
 */
import { UsageError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';

/** The frameworks, in the order `controls` and help list them. */
export const FRAMEWORK_IDS = ['securityhub', 'cis-1.2', 'cis-1.4', 'cis-3.0', 'cis-4.0', 'cis-5.0'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface FrameworkDefinition {
  id: FrameworkId;
  title: string;
  /** How its ids are written in reports: "CIS 3.4"; empty for Security Hub, whose ids are the control ids. */
  prefix: string;
}

export const FRAMEWORK_DEFINITIONS: readonly FrameworkDefinition[] = [
  { id: 'securityhub', title: 'AWS Security Hub CloudTrail and CloudWatch controls', prefix: '' },
  { id: 'cis-1.2', title: 'CIS AWS Foundations Benchmark v1.2.0', prefix: 'CIS' },
  { id: 'cis-1.4', title: 'CIS AWS Foundations Benchmark v1.4.0', prefix: 'CIS' },
  { id: 'cis-3.0', title: 'CIS AWS Foundations Benchmark v3.0.0', prefix: 'CIS' },
  { id: 'cis-4.0', title: 'CIS AWS Foundations Benchmark v4.0.1', prefix: 'CIS' },
  { id: 'cis-5.0', title: 'CIS AWS Foundations Benchmark v5.0.0', prefix: 'CIS' },
];

/** A control's id in each framework that lists it. */
export type FrameworkIds = Readonly<Partial<Record<FrameworkId, string>>>;

/**
 * A control's places, as the benchmarks print them. CIS v3.0, v4.0 and v5.0 number the Logging and
 * Monitoring sections alike, so `cis3` stands for all three; a version that lacks the item is left out.
 */
export function listedAs(places: {
  securityhub?: string;
  cis12?: string;
  cis14?: string;
  cis3?: string;
}): FrameworkIds {
  const ids: Partial<Record<FrameworkId, string>> = {};
  if (places.securityhub !== undefined) ids.securityhub = places.securityhub;
  if (places.cis12 !== undefined) ids['cis-1.2'] = places.cis12;
  if (places.cis14 !== undefined) ids['cis-1.4'] = places.cis14;
  if (places.cis3 !== undefined) {
    ids['cis-3.0'] = places.cis3;
    ids['cis-4.0'] = places.cis3;
    ids['cis-5.0'] = places.cis3;
  }
  return Object.freeze(ids);
}

/** A framework with its table: trailcheck control id → the framework's own id. */
export interface Framework extends FrameworkDefinition {
  controls: Readonly<Record<string, string>>;
}

/** The frameworks' tables, made from what each control declares. */
export function frameworkTables(
  controls: readonly { id: string; frameworks?: FrameworkIds }[],
): readonly Framework[] {
  return FRAMEWORK_DEFINITIONS.map((definition) => ({
    ...definition,
    controls: Object.freeze(
      Object.fromEntries(
        controls.flatMap((c) => {
          const id = c.frameworks?.[definition.id];
          return id === undefined ? [] : [[c.id, id]];
        }),
      ),
    ),
  }));
}

export interface FrameworkMapping {
  framework: string;
  title: string;
  id: string;
}

/** Where a control appears in each framework. */
export function mappingsIn(frameworks: readonly Framework[], controlId: string): FrameworkMapping[] {
  return frameworks.flatMap((f) => {
    const id = f.controls[controlId];
    return id === undefined ? [] : [{ framework: f.id, title: f.title, id }];
  });
}

/** "cis-3.0", "CIS-3.0.0", "cis3.0", "cis-v5.0", "securityhub" → the framework; anything else is a usage error. */
export function findIn(frameworks: readonly Framework[], name: string): Framework {
  const normal = name.trim().toLowerCase();
  const cis = /^cis[-_ ]?v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(normal);
  const wanted = cis
    ? `cis-${cis[1]}.${cis[2]}`
    : ['security-hub', 'aws-securityhub', 'sh'].includes(normal)
      ? 'securityhub'
      : normal;
  const framework = frameworks.find((f) => f.id === wanted);
  if (!framework) {
    throw new UsageError(
      `unknown framework '${name}'${didYouMean(
        name,
        frameworks.map((f) => f.id),
      )}; choose one of: ${frameworks.map((f) => f.id).join(', ')}.`,
    );
  }
  return framework;
}

/** Sorts framework ids numerically: 3.2 before 3.10. */
export function compareFrameworkIds(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x = '', y = ''] = [pa[i], pb[i]];
    const diff = Number(x || 0) - Number(y || 0);
    if (!Number.isNaN(diff)) {
      if (diff !== 0) return diff;
    } else if (x !== y) {
      // A name (Security Hub's service prefix: CloudTrail, S3) orders by name before its number.
      return x.localeCompare(y);
    }
  }
  return a.localeCompare(b);
}

/**
 * How a control is called in a report: its own id, or the framework's number with the id beside it when a
 * framework was chosen ("CIS 3.4 (CloudTrail.7)").
 */
export function controlRef(controlId: string, framework: Framework | undefined): string {
  const id = framework?.controls[controlId];
  if (!framework || id === undefined || id === controlId) return controlId;
  // Security Hub's ids carry their own service prefix (S3.22); CIS numbers need theirs.
  return `${framework.prefix === '' ? id : `${framework.prefix} ${id}`} (${controlId})`;
}
