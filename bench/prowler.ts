/**
 * Prowler, the peer trailcheck is measured against: installed from PyPI at a pinned version into a
 * project-local virtual environment (.cache/prowler-venv, about 2 GB, made once and reused), and run on
 * its CloudTrail checks against the same emulator, through the same latency proxy, as trailcheck.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePinnedTool } from './pinned-tool.js';

export const PROWLER_VERSION = '5.46.0';

/**
 * The Prowler checks the benchmark runs, each with the trailcheck controls that assess the same thing, so
 * both tools are timed on the same questions. Left out: `cloudtrail_bucket_requires_mfa_delete` and
 * `cloudtrail_bedrock_logging_enabled` (no trailcheck counterpart) and the three threat-detection checks
 * (they read events with LookupEvents, which moto lacks, and trailcheck assesses configuration only).
 */
export const CHECK_MAPPING: ReadonlyArray<{ check: string; controls: readonly string[] }> = [
  { check: 'cloudtrail_multi_region_enabled', controls: ['CloudTrail.1', 'CloudTrail.3'] },
  { check: 'cloudtrail_multi_region_enabled_logging_management_events', controls: ['CloudTrail.1'] },
  { check: 'cloudtrail_kms_encryption_enabled', controls: ['CloudTrail.2'] },
  { check: 'cloudtrail_log_file_validation_enabled', controls: ['CloudTrail.4'] },
  { check: 'cloudtrail_cloudwatch_logging_enabled', controls: ['CloudTrail.5'] },
  { check: 'cloudtrail_logs_s3_bucket_is_not_publicly_accessible', controls: ['CloudTrail.6'] },
  { check: 'cloudtrail_logs_s3_bucket_access_logging_enabled', controls: ['CloudTrail.7'] },
  { check: 'cloudtrail_s3_dataevents_write_enabled', controls: ['TC.S3ObjectWrites'] },
  { check: 'cloudtrail_s3_dataevents_read_enabled', controls: ['TC.S3ObjectReads'] },
  { check: 'cloudtrail_insights_exist', controls: ['TC.Insights'] },
];

/**
 * Prowler's checks for the CIS monitoring items, each with the trailcheck control that assesses the same
 * thing (`npm run bench:monitoring` counts both tools' calls; the main benchmark keeps CHECK_MAPPING).
 */
export const MONITORING_CHECK_MAPPING: ReadonlyArray<{ check: string; controls: readonly string[] }> = [
  { check: 'cloudwatch_log_metric_filter_root_usage', controls: ['CloudWatch.1'] },
  { check: 'cloudwatch_log_metric_filter_unauthorized_api_calls', controls: ['CloudWatch.2'] },
  { check: 'cloudwatch_log_metric_filter_sign_in_without_mfa', controls: ['CloudWatch.3'] },
  { check: 'cloudwatch_log_metric_filter_policy_changes', controls: ['CloudWatch.4'] },
  {
    check: 'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
    controls: ['CloudWatch.5'],
  },
  { check: 'cloudwatch_log_metric_filter_authentication_failures', controls: ['CloudWatch.6'] },
  {
    check: 'cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk',
    controls: ['CloudWatch.7'],
  },
  { check: 'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes', controls: ['CloudWatch.8'] },
  {
    check: 'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
    controls: ['CloudWatch.9'],
  },
  { check: 'cloudwatch_log_metric_filter_security_group_changes', controls: ['CloudWatch.10'] },
  { check: 'cloudwatch_changes_to_network_acls_alarm_configured', controls: ['CloudWatch.11'] },
  { check: 'cloudwatch_changes_to_network_gateways_alarm_configured', controls: ['CloudWatch.12'] },
  { check: 'cloudwatch_changes_to_network_route_tables_alarm_configured', controls: ['CloudWatch.13'] },
  { check: 'cloudwatch_changes_to_vpcs_alarm_configured', controls: ['CloudWatch.14'] },
  { check: 'cloudwatch_log_metric_filter_aws_organizations_changes', controls: ['TC.OrganizationsChanges'] },
];

/** The trailcheck controls that answer the mapped Prowler checks, in trailcheck's order. */
export function mappedControls(): string[] {
  return [...new Set(CHECK_MAPPING.flatMap((m) => m.controls))];
}

/** Makes sure the pinned Prowler is installed in .cache/prowler-venv (installing it from PyPI if not). */
export function ensureProwler(log: (line: string) => void = () => undefined): string {
  return ensurePinnedTool(
    {
      distribution: 'prowler',
      version: PROWLER_VERSION,
      command: 'prowler',
      venv: 'prowler-venv',
      installNote: 'a few minutes, about 2 GB',
      installTimeoutMs: 1_800_000,
    },
    log,
  );
}

/** Prowler's command line for the mapped checks (or `checks`) in the given Regions, writing OCSF JSON into `dir`. */
export function prowlerArgs(
  regions: readonly string[],
  dir: string,
  checks: readonly string[] = CHECK_MAPPING.map((m) => m.check),
): string[] {
  return [
    'aws',
    '--checks',
    ...checks,
    '--region',
    ...regions,
    '--no-banner',
    '--no-color',
    '--output-formats',
    'json-ocsf',
    '--output-directory',
    dir,
    '--output-filename',
    'prowler',
    '--ignore-exit-code-3',
    '--log-level',
    'ERROR',
  ];
}

export interface ProwlerFindings {
  findings: number;
  /** Trail ARNs Prowler named in its findings. */
  trailArns: string[];
  byCheck: Record<string, number>;
}

interface OcsfFinding {
  metadata?: { event_code?: string };
  resources?: Array<{ uid?: string }>;
}

/** Reads the OCSF file a Prowler run wrote into `dir`. */
export async function readProwlerFindings(dir: string): Promise<ProwlerFindings> {
  const file = (await readdir(dir)).find((f) => f.startsWith('prowler') && f.endsWith('.ocsf.json'));
  if (file === undefined) throw new Error(`Prowler wrote no OCSF file into ${dir}`);
  const findings = JSON.parse(await readFile(join(dir, file), 'utf8')) as OcsfFinding[];
  const trails = new Set<string>();
  const byCheck: Record<string, number> = {};
  for (const finding of findings) {
    const check = finding.metadata?.event_code ?? 'unknown';
    byCheck[check] = (byCheck[check] ?? 0) + 1;
    for (const resource of finding.resources ?? []) {
      if (resource.uid !== undefined && /:cloudtrail:[^:]*:\d+:trail\/./.test(resource.uid))
        trails.add(resource.uid);
    }
  }
  return { findings: findings.length, trailArns: [...trails].sort(), byCheck };
}
