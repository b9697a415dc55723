import { managementEventCoverage } from '../../evaluate/selectors.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, joinRich, nameList, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import type { ApiCall } from '../../fixes/calls.js';
import { secondCopyCost } from '../../fixes/costs.js';
import { createTrail, makeMultiRegion, putSelectors, startLogging } from '../../fixes/builders.js';
import { accountResource, makeFinding, settleUnknown } from '../shared.js';
import { NEW_TRAIL_CALLS, TRAIL_SETTING_CALLS } from '../../fixes/permissions.js';
import type { ControlDefinition, FixProposal } from '../types.js';
import {
  bestOwnedTrail,
  checkTrails,
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
import { listedAs } from '../../frameworks/index.js';

const describeGap = (reasons: string[]): RichText =>
  rich`does not record every read and write management event (${reasons.join('; ')})`;

/** Fix the owned trail that is closest to qualifying, or create one when the account owns none. */
function proposalFor(view: SnapshotView, checks: TrailCheck[]): FixProposal {
  const target = bestOwnedTrail(checks);
  return target ? fixExistingTrail(view, target) : createTrail(view);
}

/** Management events only: the selectors keep any data events the trail records and add none. */
function fixExistingTrail(view: SnapshotView, check: TrailCheck): FixProposal {
  const { Name, HomeRegion, TrailARN } = check.trail.config;
  const calls: ApiCall[] = [];
  const console: string[] = [`Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`];
  const actions: RichText[] = [];
  if (!check.multiRegion) {
    actions.push(rich`turn ${code(Name)} into a multi-Region trail`);
    calls.push(makeMultiRegion(check.trail));
    console.push(
      'The console cannot turn an existing single-Region trail into a multi-Region one: run the CLI command above, or create a new trail in the console (console trails are always multi-Region).',
    );
  }
  const coverageKnownGood = !isMissing(check.coverage) && check.coverage.verdict === 'covered';
  if (!coverageKnownGood) {
    actions.push(rich`record all read and write management events`);
    const current = check.trail.eventSelectors?.ok ? check.trail.eventSelectors.value : undefined;
    calls.push(putSelectors(check.trail, selectorsRecordingAllManagementEvents(current)));
    console.push(
      'In Management events, choose Edit, select both Read and Write API activity, clear any excluded event sources, then save.',
    );
  }
  if (check.logging !== true) {
    actions.push(rich`start logging`);
    calls.push(startLogging(check.trail));
    console.push('Choose Start logging at the top of the trail page.');
  }
  const summary =
    actions.length > 0
      ? rich`On trail ${code(Name)}: ${joinRich(actions, ', ')}.`
      : rich`Re-check trail ${code(Name)}.`;
  // Every change here makes the trail record management events it did not: free unless it is a second copy.
  const cost = calls.length > 0 ? secondCopyCost(view, Name, TrailARN) : undefined;
  return { summary, calls, console, ...(cost ? { notes: [cost] } : {}) };
}

export const control: ControlDefinition = {
  id: 'CloudTrail.1',
  frameworks: listedAs({ securityhub: 'CloudTrail.1', cis12: '2.1', cis14: '3.1', cis3: '3.1' }),
  title:
    'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
  severity: 'high',
  resourceType: 'AwsAccount',
  scope: 'trails',
  needs: multiRegionNeeds(),
  texts,
  fixPermissions: { calls: [...TRAIL_SETTING_CALLS, ...NEW_TRAIL_CALLS] },
  evaluate(view) {
    const resource = accountResource(view);
    const checks = checkTrails(view, control.id, managementEventCoverage, describeGap);
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
        proposal: proposalFor(view, checks),
      }),
    ];
  },
};
