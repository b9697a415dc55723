/**
 * Framework mappings as data: which Security Hub control each framework version numbers how. A new CIS
 * version is a new table here, not new code. Sources: ../shared/docs/controls-spec.md §0 and §3.
 */
export interface Framework {
  id: string;
  title: string;
  /** Security Hub control id → the framework's own id. */
  controls: Readonly<Record<string, string>>;
}

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'cis-1.2',
    title: 'CIS AWS Foundations Benchmark v1.2.0',
    controls: {
      'CloudTrail.1': '2.1',
      'CloudTrail.4': '2.2',
      'CloudTrail.6': '2.3',
      'CloudTrail.5': '2.4',
      'CloudTrail.7': '2.6',
      'CloudTrail.2': '2.7',
    },
  },
  {
    id: 'cis-1.4',
    title: 'CIS AWS Foundations Benchmark v1.4.0',
    controls: {
      'CloudTrail.1': '3.1',
      'CloudTrail.4': '3.2',
      'CloudTrail.6': '3.3',
      'CloudTrail.5': '3.4',
      'CloudTrail.7': '3.6',
      'CloudTrail.2': '3.7',
    },
  },
  {
    id: 'cis-3.0',
    title: 'CIS AWS Foundations Benchmark v3.0.0',
    controls: { 'CloudTrail.1': '3.1', 'CloudTrail.4': '3.2', 'CloudTrail.7': '3.4', 'CloudTrail.2': '3.5' },
  },
  {
    id: 'cis-5.0',
    title: 'CIS AWS Foundations Benchmark v5.0.0',
    controls: { 'CloudTrail.1': '3.1', 'CloudTrail.4': '3.2', 'CloudTrail.7': '3.4', 'CloudTrail.2': '3.5' },
  },
];

export interface FrameworkMapping {
  framework: string;
  title: string;
  id: string;
}

/** Where a Security Hub control appears in each framework. */
export function mappingsOf(controlId: string): FrameworkMapping[] {
  return FRAMEWORKS.flatMap((f) => {
    const id = f.controls[controlId];
    return id === undefined ? [] : [{ framework: f.id, title: f.title, id }];
  });
}
