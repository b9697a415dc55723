/**
 * Framework mappings as data: how each framework numbers trailcheck's controls. A new CIS version is a new
 * table here, not new code. Sources: ../shared/docs/controls-spec.md §0 and §3.
 */
import { UsageError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';

export interface Framework {
  id: string;
  title: string;
  /** How its ids are written in reports: "CIS 3.4"; empty for Security Hub, whose ids are the control ids. */
  prefix: string;
  /** trailcheck control id → the framework's own id. */
  controls: Readonly<Record<string, string>>;
}

/** CIS's Monitoring items by number (3.x in v1.2, 4.x later): CloudWatch.1 is root use, CIS's third. */
const MONITORING_ITEMS: Readonly<Record<string, number>> = {
  'CloudWatch.2': 1,
  'CloudWatch.3': 2,
  'CloudWatch.1': 3,
  ...Object.fromEntries([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => [`CloudWatch.${n}`, n])),
  'TC.OrganizationsChanges': 15,
};

/** The Monitoring section as numbered in one benchmark version (v1.2 has no Organizations item). */
function monitoringSection(section: number, withOrganizations: boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(MONITORING_ITEMS)
      .filter(([id]) => withOrganizations || id !== 'TC.OrganizationsChanges')
      .map(([id, n]) => [id, `${section}.${n}`]),
  );
}

// ---- Issue 15: AWS Config, VPC flow logs and KMS key rotation (the CIS Logging items 3.3, 3.6, 3.7 of v3+;
// 2.5, 2.8, 2.9 of v1.2; 3.5, 3.8, 3.9 of v1.4). Kept together so they can move into their control folders.
const ISSUE_15_SECURITY_HUB: Readonly<Record<string, string>> = {
  'Config.1': 'Config.1',
  'EC2.6': 'EC2.6',
  'KMS.4': 'KMS.4',
};
const ISSUE_15_CIS_V1_2: Readonly<Record<string, string>> = {
  'Config.1': '2.5',
  'KMS.4': '2.8',
  'EC2.6': '2.9',
};
const ISSUE_15_CIS_V1_4: Readonly<Record<string, string>> = {
  'Config.1': '3.5',
  'KMS.4': '3.8',
  'EC2.6': '3.9',
};
const ISSUE_15_CIS_V3_AND_LATER: Readonly<Record<string, string>> = {
  'Config.1': '3.3',
  'KMS.4': '3.6',
  'EC2.6': '3.7',
};
// ---- end of issue 15's block

const CIS_V3_AND_LATER = {
  'CloudTrail.1': '3.1',
  'CloudTrail.4': '3.2',
  'CloudTrail.7': '3.4',
  'CloudTrail.2': '3.5',
  'TC.S3ObjectWrites': '3.8',
  'TC.S3ObjectReads': '3.9',
  ...monitoringSection(4, true),
  ...ISSUE_15_CIS_V3_AND_LATER,
};

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'securityhub',
    title: 'AWS Security Hub CloudTrail and CloudWatch controls',
    prefix: '',
    controls: {
      ...Object.fromEntries(
        [
          'CloudTrail.1',
          'CloudTrail.2',
          'CloudTrail.3',
          'CloudTrail.4',
          'CloudTrail.5',
          'CloudTrail.6',
          'CloudTrail.7',
          'CloudTrail.9',
          'CloudTrail.10',
          ...Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
        ].map((id) => [id, id]),
      ),
      // Security Hub files the S3 data-event checks under S3: object-level writes and reads logged by a trail.
      'TC.S3ObjectWrites': 'S3.22',
      'TC.S3ObjectReads': 'S3.23',
      ...ISSUE_15_SECURITY_HUB,
    },
  },
  {
    id: 'cis-1.2',
    title: 'CIS AWS Foundations Benchmark v1.2.0',
    prefix: 'CIS',
    controls: {
      'CloudTrail.1': '2.1',
      'CloudTrail.4': '2.2',
      'CloudTrail.6': '2.3',
      'CloudTrail.5': '2.4',
      'CloudTrail.7': '2.6',
      'CloudTrail.2': '2.7',
      ...monitoringSection(3, false),
      ...ISSUE_15_CIS_V1_2,
    },
  },
  {
    id: 'cis-1.4',
    title: 'CIS AWS Foundations Benchmark v1.4.0',
    prefix: 'CIS',
    controls: {
      'CloudTrail.1': '3.1',
      'CloudTrail.4': '3.2',
      'CloudTrail.6': '3.3',
      'CloudTrail.5': '3.4',
      'CloudTrail.7': '3.6',
      'CloudTrail.2': '3.7',
      'TC.S3ObjectWrites': '3.10',
      'TC.S3ObjectReads': '3.11',
      ...monitoringSection(4, true),
      ...ISSUE_15_CIS_V1_4,
    },
  },
  { id: 'cis-3.0', title: 'CIS AWS Foundations Benchmark v3.0.0', prefix: 'CIS', controls: CIS_V3_AND_LATER },
  { id: 'cis-4.0', title: 'CIS AWS Foundations Benchmark v4.0.1', prefix: 'CIS', controls: CIS_V3_AND_LATER },
  { id: 'cis-5.0', title: 'CIS AWS Foundations Benchmark v5.0.0', prefix: 'CIS', controls: CIS_V3_AND_LATER },
];

export interface FrameworkMapping {
  framework: string;
  title: string;
  id: string;
}

/** Where a control appears in each framework. */
export function mappingsOf(controlId: string): FrameworkMapping[] {
  return FRAMEWORKS.flatMap((f) => {
    const id = f.controls[controlId];
    return id === undefined ? [] : [{ framework: f.id, title: f.title, id }];
  });
}

/** "cis-3.0", "CIS-3.0.0", "cis3.0", "cis-v5.0", "securityhub" → the framework; anything else is a usage error. */
export function findFramework(name: string): Framework {
  const normal = name.trim().toLowerCase();
  const cis = /^cis[-_ ]?v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(normal);
  const wanted = cis
    ? `cis-${cis[1]}.${cis[2]}`
    : ['security-hub', 'aws-securityhub', 'sh'].includes(normal)
      ? 'securityhub'
      : normal;
  const framework = FRAMEWORKS.find((f) => f.id === wanted);
  if (!framework) {
    throw new UsageError(
      `unknown framework '${name}'${didYouMean(
        name,
        FRAMEWORKS.map((f) => f.id),
      )}; choose one of: ${FRAMEWORKS.map((f) => f.id).join(', ')}.`,
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
