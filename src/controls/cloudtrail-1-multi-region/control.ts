import { managementEventCoverage } from '../../evaluate/selectors.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, joinRich, nameList, rich } from '../../report/rich.js';
import type { RichText } from '../../report/rich.js';
import { BLOCK_ALL_PUBLIC_ACCESS, cloudTrailBucketPolicy } from '../../remediate/policies.js';
import { createBucketCommand } from '../../remediate/s3-commands.js';
import { awsCli } from '../../remediate/shell.js';
import { accountResource, makeFinding, settleUnknown } from '../shared.js';
import type { ControlDefinition, Remediation } from '../types.js';
import {
  bestOwnedTrail,
  checkTrail,
  decide,
  discoveryEvidence,
  isMissing,
  multiRegionNeeds,
  ownerNote,
  trailCheckEvidence,
  uniqueReasons,
} from '../multi-region-requirement.js';
import type { TrailCheck } from '../multi-region-requirement.js';
import { selectorsRecordingAllManagementEvents } from './selector-fix.js';
import { texts } from './texts.js';

const describeGap = (reasons: string[]): RichText =>
  rich`does not record every read and write management event (${reasons.join('; ')})`;

/** Fix the owned trail that is closest to qualifying, or create one when the account owns none. */
function remediationFor(view: SnapshotView, checks: TrailCheck[]): Remediation {
  const target = bestOwnedTrail(checks);
  return target ? fixExistingTrail(view, target) : createTrail(view);
}

function fixExistingTrail(view: SnapshotView, check: TrailCheck): Remediation {
  const { Name, HomeRegion, IncludeGlobalServiceEvents } = check.trail.config;
  const cli: string[] = [];
  const console: string[] = [`Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`];
  const actions: RichText[] = [];
  if (!check.multiRegion) {
    actions.push(rich`turn ${code(Name)} into a multi-Region trail`);
    cli.push(
      awsCli('cloudtrail', 'update-trail', {
        region: HomeRegion,
        name: Name,
        'is-multi-region-trail': true,
        // A multi-Region trail must include global service events.
        'include-global-service-events': IncludeGlobalServiceEvents === false ? true : undefined,
      }),
    );
    console.push(
      'The console cannot turn an existing single-Region trail into a multi-Region one: run the CLI command above, or create a new trail in the console (console trails are always multi-Region).',
    );
  }
  const coverageKnownGood = !isMissing(check.coverage) && check.coverage.verdict === 'covered';
  if (!coverageKnownGood) {
    actions.push(rich`record all read and write management events`);
    const current = check.trail.eventSelectors?.ok ? check.trail.eventSelectors.value : undefined;
    const fix = selectorsRecordingAllManagementEvents(current);
    cli.push(
      awsCli('cloudtrail', 'put-event-selectors', {
        region: HomeRegion,
        'trail-name': Name,
        [fix.flag]: JSON.stringify(fix.selectors),
      }),
    );
    console.push(
      'In Management events, choose Edit, select both Read and Write API activity, clear any excluded event sources, then save.',
    );
  }
  if (check.logging !== true) {
    actions.push(rich`start logging`);
    cli.push(awsCli('cloudtrail', 'start-logging', { region: HomeRegion, name: Name }));
    console.push('Choose Start logging at the top of the trail page.');
  }
  const summary =
    actions.length > 0
      ? rich`On trail ${code(Name)}: ${joinRich(actions, ', ')}.`
      : rich`Re-check trail ${code(Name)}.`;
  return { summary, cli, console };
}

function createTrail(view: SnapshotView): Remediation {
  const region = view.snapshot.scope.controlRegion;
  const account = view.accountId;
  const trailName = 'all-regions-audit-trail';
  const bucket = `aws-cloudtrail-logs-${account}-${region}`;
  const trailArn = `arn:${view.partition}:cloudtrail:${region}:${account}:trail/${trailName}`;
  return {
    summary: rich`Create a multi-Region trail (e.g. ${code(trailName)}) that logs all read and write management events to a new private bucket (e.g. ${code(bucket)}), and start it.`,
    cli: [
      createBucketCommand(bucket, region),
      awsCli('s3api', 'put-public-access-block', {
        bucket,
        'public-access-block-configuration': BLOCK_ALL_PUBLIC_ACCESS,
      }),
      awsCli('s3api', 'put-bucket-policy', {
        bucket,
        policy: cloudTrailBucketPolicy(view.partition, account, bucket, trailArn),
      }),
      awsCli('cloudtrail', 'create-trail', {
        region,
        name: trailName,
        's3-bucket-name': bucket,
        'is-multi-region-trail': true,
        'enable-log-file-validation': true,
      }),
      awsCli('cloudtrail', 'start-logging', { region, name: trailName }),
    ],
    console: [
      `Open the CloudTrail console in ${region} and choose Create trail.`,
      `Name it ${trailName}, create a new S3 bucket for it, and keep log file validation enabled.`,
      'Under Management events, select both Read and Write, then create the trail (console-created trails are multi-Region and start logging at once).',
    ],
  };
}

export const control: ControlDefinition = {
  id: 'CloudTrail.1',
  title:
    'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
  severity: 'high',
  resourceType: 'AwsAccount',
  needs: multiRegionNeeds(),
  texts,
  evaluate(view) {
    const resource = accountResource(view);
    const checks = view.trails.map((trail) => checkTrail(view, trail, managementEventCoverage, describeGap));
    const decision = decide(view, checks);
    switch (decision.verdict) {
      case 'PASS':
        return [
          makeFinding(control, {
            status: 'PASS',
            resource,
            message: rich`Trail ${code(decision.winner.trail.config.Name)} is multi-Region, is logging, and records all read and write management events.${ownerNote(view, decision.winner.trail)}`,
            evidence: trailCheckEvidence(decision.winner),
          }),
        ];
      case 'UNKNOWN': {
        const names = decision.undecided.map((c) => c.trail.config.Name);
        return [
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`Multi-Region trail ${nameList(names, 'or')} may qualify, but trailcheck could not confirm that it is logging and records all management events: ${uniqueReasons(decision.unknowns)}.`,
            evidence: decision.undecided.flatMap(trailCheckEvidence),
            remediation: settleUnknown(decision.unknowns, rich`trail ${nameList(names)}`),
          }),
        ];
      }
      case 'UNLISTED':
        return [
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`trailcheck could not list the account's trails in any scanned Region: ${uniqueReasons(decision.unknowns)}.`,
            evidence: discoveryEvidence(view),
            remediation: settleUnknown(decision.unknowns, rich`account ${code(view.accountId)}`),
          }),
        ];
      case 'FAIL':
        break;
    }
    let message: RichText;
    if (checks.length === 0) {
      message = rich`The account has no CloudTrail trail, so API activity is not recorded in any Region.`;
    } else if (!checks.some((c) => c.multiRegion)) {
      const names = checks.map((c) => c.trail.config.Name);
      message = rich`None of the account's trails (${nameList(names)}) is multi-Region, so activity in other Regions goes unrecorded.`;
    } else {
      const reasons = checks
        .filter((c) => c.multiRegion)
        .map((c) => rich`${code(c.trail.config.Name)} ${joinRich(c.gaps, ' and ')}`);
      message = rich`No multi-Region trail both logs and records all read and write management events: ${joinRich(reasons, '; ')}.`;
    }
    return [
      makeFinding(control, {
        status: 'FAIL',
        resource,
        message,
        evidence: checks.length > 0 ? checks.flatMap(trailCheckEvidence) : discoveryEvidence(view),
        remediation: remediationFor(view, checks),
      }),
    ];
  },
};
