/**
 * Assessments for report tests: the seed scenario (the shipped demo snapshot, recorded from moto), and
 * hand-built ones that exercise what the seed does not: several Regions, unknowns, suppressions, and
 * names and error messages an attacker could choose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallFailure } from '../../src/aws/errors.js';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { CONTROLS as ALL_CONTROLS, SEED_CONTROL_IDS, findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { reportOf } from '../../src/report/model.js';
import type { Report } from '../../src/report/model.js';
import { applySuppressions } from '../../src/judge/suppressions.js';
import { parseSnapshot } from '../../src/snapshot/io.js';
import type { BucketRecord } from '../../src/snapshot/schema.js';
import { packageRoot } from '../../src/util/package-root.js';
import { bucket, loggingOff, loggingOn, snapshot, trail } from './snapshot-builder.js';
import { OrganizationReportBuilder } from '../../src/report/organization.js';
import type { Snapshot } from '../../src/snapshot/schema.js';

/** The name the HTML test must show as text: it would run script if it became markup. */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
/** An error message with markup, a CSV formula, a quote and control characters. */
export const HOSTILE_MESSAGE = `=HYPERLINK("http://evil")<script>alert(2)</script>"'&\u0007\u001b[31m`;

/** The seed report's four controls: these fixtures test the renderers, not the controls. */
const CONTROLS: ControlDefinition[] = SEED_CONTROL_IDS.map((id) => findControl(id) as ControlDefinition);

export function seedAssessment(): Report {
  const text = readFileSync(join(packageRoot(), DEMO_SNAPSHOT), 'utf8');
  return reportOf(parseSnapshot(text, 'demo snapshot'), CONTROLS);
}

/**
 * Two Regions and every verdict: a trail with a hostile name that fails validation and encryption, a
 * healthy trail in eu-west-1, and a bucket whose logging could not be read (its error message is hostile).
 */
export function mixedAssessment(): Report {
  const failure: CallFailure = {
    operation: 's3:GetBucketLogging',
    region: 'eu-west-1',
    kind: 'access-denied',
    code: 'AccessDenied',
    message: HOSTILE_MESSAGE,
    permission: 's3:GetBucketLogging',
  };
  const denied: BucketRecord = {
    ...bucket('eu-archive', null, 'eu-west-1'),
    logging: { ok: false, failure },
  };
  const snap = snapshot({
    trails: [
      trail({ Name: HOSTILE_NAME, S3BucketName: 'hostile-bucket', LogFileValidationEnabled: false }),
      trail({
        Name: 'EuAudit',
        HomeRegion: 'eu-west-1',
        IsMultiRegionTrail: false,
        S3BucketName: 'eu-archive',
        KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      }),
    ],
    buckets: [bucket('hostile-bucket', loggingOff()), denied],
  });
  return reportOf(snap, CONTROLS);
}

/** Every check passes. */
export function allPassAssessment(): Report {
  const snap = snapshot({
    trails: [
      trail({
        Name: 'Main',
        S3BucketName: 'main-logs',
        KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
      }),
    ],
    buckets: [bucket('main-logs', loggingOn('main-access-logs'))],
  });
  return reportOf(snap, CONTROLS);
}

/** No trail at all: CloudTrail.1 fails, the per-trail controls have nothing to assess. */
export function emptyAssessment(): Report {
  return reportOf(snapshot({ trails: [] }), CONTROLS);
}

/** The seed with its access-logging gap accepted until the far future. */
export function suppressedSeedAssessment(): Report {
  const text = readFileSync(join(packageRoot(), DEMO_SNAPSHOT), 'utf8');
  return reportOf(
    parseSnapshot(text, 'demo snapshot'),
    CONTROLS,
    {},
    (assessment) =>
      applySuppressions(
        assessment,
        {
          label: 'suppression file ignore.yaml',
          entries: [
            {
              control: 'CloudTrail.7',
              resource: 'mooncloud-cftrail',
              reason: `Access to the log bucket is logged by the organization's archive ${HOSTILE_NAME}`,
              expires: '2099-12-31',
            },
          ],
        },
        '2026-01-01',
      ).assessment,
  );
}

/** Twenty scanned Regions. */
export const MANY_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ca-central-1',
  'sa-east-1',
  'af-south-1',
];

/**
 * One single-Region trail in an account of twenty Regions, judged by every control: CloudTrail.3 fails
 * in the nineteen Regions the trail does not cover, with the same fix each time.
 */
export function singleRegionTrailAssessment(): Report {
  const snap = snapshot({
    regions: MANY_REGIONS,
    trails: [trail({ Name: 'Solo', IsMultiRegionTrail: false, S3BucketName: 'solo-logs' })],
    buckets: [bucket('solo-logs', loggingOff())],
  });
  return reportOf(snap, ALL_CONTROLS);
}

export const ORG_ID = 'o-test1234';
export const MANAGEMENT = '111111111111';
/** A member with no trail of its own (covered by the organization trail) and a hostile account name. */
export const COVERED_MEMBER = '222222222222';
/** A member whose role could not be assumed: every control UNKNOWN there. */
export const UNREADABLE_MEMBER = '333333333333';

function inAccount(snap: Snapshot, account: string): Snapshot {
  return {
    ...snap,
    account: { ...snap.account, Account: account, Arn: `arn:aws:iam::${account}:user/auditor` },
  };
}

/**
 * An organization of three accounts, judged as `scan --org` judges it: the management account owns an
 * organization trail (log file validation off, bucket without access logging), one member is covered by
 * it, one could not be read.
 */
export function organizationAssessment(): Report {
  const builder = new OrganizationReportBuilder({
    controls: ALL_CONTROLS,
    options: {},
    keepFixAsCode: true,
    organization: { Id: ORG_ID, MasterAccountId: MANAGEMENT },
    leftOut: 1,
    managementForContextOnly: false,
    partition: 'aws',
    controlRegion: 'us-east-1',
    startedAt: '2026-11-24T10:00:00.000Z',
  });
  const management = inAccount(
    snapshot({
      trails: [
        trail({
          Name: 'org-trail',
          owner: MANAGEMENT,
          IsOrganizationTrail: true,
          LogFileValidationEnabled: false,
          S3BucketName: 'org-logs',
        }),
      ],
      buckets: [bucket('org-logs', loggingOff())],
    }),
    MANAGEMENT,
  );
  builder.add({ Id: MANAGEMENT, Name: 'management', Status: 'ACTIVE' }, { ok: true, snapshot: management });
  builder.add(
    { Id: COVERED_MEMBER, Name: HOSTILE_NAME, Status: 'ACTIVE', Email: 'covered@example.com' },
    { ok: true, snapshot: inAccount(snapshot({}), COVERED_MEMBER) },
  );
  builder.add(
    { Id: UNREADABLE_MEMBER, Name: 'locked', Status: 'ACTIVE' },
    {
      ok: false,
      stage: 'assume-role',
      reason: `role OrganizationAccountAccessRole could not be assumed (AccessDenied) ${HOSTILE_MESSAGE}`,
    },
  );
  return builder.finish('2026-11-24T10:00:05.000Z');
}

export const ASSESSMENTS: Record<string, () => Report> = {
  organization: organizationAssessment,
  seed: seedAssessment,
  mixed: mixedAssessment,
  'all pass': allPassAssessment,
  'no trails': emptyAssessment,
  'seed with a suppression': suppressedSeedAssessment,
};
