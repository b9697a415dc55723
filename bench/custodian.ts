/**
 * Cloud Custodian, a second peer: a policy engine with no CIS pack of its own, so the benchmark gives it
 * the policies closest to the mapped checks (below). Installed from PyPI at a pinned version into
 * .cache/custodian-venv and run, like Prowler, through the latency proxy against the same moto.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePinnedTool } from './pinned-tool.js';

export const CUSTODIAN_VERSION = '0.9.53';

/**
 * The policies, with the trailcheck controls each approximates. Custodian has no Insights filter, its
 * bucket filters see every bucket rather than the trails' buckets, and its public check reads the ACL
 * only. The S3 policies run in the first Region only (S3 lists every bucket from any Region).
 */
export const CUSTODIAN_POLICIES: ReadonlyArray<{ name: string; controls: readonly string[]; body: string }> =
  [
    // Every trail, unfiltered: shows which trails Custodian saw (its resource cache makes it free).
    { name: 'trail-inventory', controls: [], body: 'resource: aws.cloudtrail' },
    {
      name: 'trail-multi-region-logging',
      controls: ['CloudTrail.1', 'CloudTrail.3'],
      body: `resource: aws.cloudtrail
    filters:
      - IsMultiRegionTrail: true
      - type: status
        key: IsLogging
        value: true`,
    },
    {
      name: 'trail-no-kms',
      controls: ['CloudTrail.2'],
      body: 'resource: aws.cloudtrail\n    filters:\n      - KmsKeyId: absent',
    },
    {
      name: 'trail-no-validation',
      controls: ['CloudTrail.4'],
      body: 'resource: aws.cloudtrail\n    filters:\n      - LogFileValidationEnabled: false',
    },
    {
      name: 'trail-no-cloudwatch',
      controls: ['CloudTrail.5'],
      body: 'resource: aws.cloudtrail\n    filters:\n      - CloudWatchLogsLogGroupArn: absent',
    },
    {
      name: 'trail-s3-data-events',
      controls: ['TC.S3ObjectWrites', 'TC.S3ObjectReads'],
      body: `resource: aws.cloudtrail
    filters:
      - type: event-selectors
        key: "EventSelectors[].DataResources[].Type"
        value: "AWS::S3::Object"
        op: contains`,
    },
    {
      name: 'bucket-public-grants',
      controls: ['CloudTrail.6'],
      body: 'resource: aws.s3\n    filters:\n      - type: global-grants',
    },
    {
      name: 'bucket-no-access-logging',
      controls: ['CloudTrail.7'],
      body: 'resource: aws.s3\n    filters:\n      - type: bucket-logging\n        op: disabled',
    },
  ];

/** The policy file, with the S3 policies limited to `s3Region`. */
export function custodianPolicyFile(s3Region: string): string {
  const lines = ['policies:'];
  for (const policy of CUSTODIAN_POLICIES) {
    lines.push(`  - name: ${policy.name}`, `    ${policy.body}`);
    if (policy.body.startsWith('resource: aws.s3')) {
      lines.push(
        '    conditions:',
        '      - type: value',
        '        key: region',
        `        value: ${s3Region}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Makes sure the pinned Cloud Custodian is installed in .cache/custodian-venv (from PyPI if not). */
export function ensureCustodian(log: (line: string) => void = () => undefined): string {
  return ensurePinnedTool(
    {
      distribution: 'c7n',
      version: CUSTODIAN_VERSION,
      command: 'custodian',
      venv: 'custodian-venv',
      installTimeoutMs: 900_000,
    },
    log,
  );
}

/** Writes the policy file into `dir` and returns Custodian's command line for the given Regions. */
export async function custodianArgs(regions: readonly string[], dir: string): Promise<string[]> {
  const policy = join(dir, 'policy.yml');
  await writeFile(policy, custodianPolicyFile(regions[0] ?? 'us-east-1'));
  // A resource cache of its own per run: Custodian's default cache (15 minutes, in the home directory) would
  // let a later run answer from the disk instead of the API.
  return [
    'run',
    '--cache',
    join(dir, 'cache.pkl'),
    '--output-dir',
    join(dir, 'out'),
    ...regions.flatMap((r) => ['--region', r]),
    policy,
  ];
}

export interface CustodianFindings {
  /** Resources matched, over every policy and Region. */
  resources: number;
  trailArns: string[];
}

/** Reads the resources.json files a Custodian run wrote under `dir`/out/REGION/POLICY/. */
export async function readCustodianFindings(dir: string): Promise<CustodianFindings> {
  const out = join(dir, 'out');
  let resources = 0;
  const trails = new Set<string>();
  for (const region of await readdir(out)) {
    for (const policy of await readdir(join(out, region)).catch(() => [] as string[])) {
      const file = join(out, region, policy, 'resources.json');
      if (!existsSync(file)) continue;
      const list = JSON.parse(await readFile(file, 'utf8')) as Array<{ TrailARN?: string }>;
      resources += list.length;
      for (const item of list) if (item.TrailARN !== undefined) trails.add(item.TrailARN);
    }
  }
  return { resources, trailArns: [...trails].sort() };
}
