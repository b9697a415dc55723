import {
  describeMissing,
  failureEvidence,
  missingFromFailure,
  observationEvidence,
  trailConfigEvidence,
} from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import { regionCoverage } from '../../evaluate/coverage.js';
import type { CoveringTrail, RegionCoverage } from '../../evaluate/coverage.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, nameList, rich } from '../../core/rich.js';
import { secondCopyCost } from '../../fixes/costs.js';
import { createTrail, makeMultiRegion, startLogging } from '../../fixes/builders.js';
import { makeFinding, settleUnknown } from '../shared.js';
import { NEW_TRAIL_CALLS, TRAIL_SETTING_CALLS } from '../../fixes/permissions.js';
import type { ControlDefinition, Evidence, FixProposal, ResourceRef } from '../types.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

function isMissing(logging: boolean | MissingFact): logging is MissingFact {
  return typeof logging === 'object';
}

function coveringEvidence(covering: CoveringTrail): Evidence[] {
  const evidence = [
    trailConfigEvidence(covering.trail, ['HomeRegion', 'IsMultiRegionTrail', 'IsOrganizationTrail']),
  ];
  if (covering.trail.status) {
    evidence.push(observationEvidence(covering.trail.status, (s) => ({ IsLogging: s.IsLogging ?? null })));
  }
  return evidence;
}

function regionResource(view: SnapshotView, region: string): ResourceRef {
  return { type: 'AwsAccount', id: view.accountId, name: region, region };
}

/** Start a stopped trail that covers the Region, or make an owned trail multi-Region, or create one. */
function coverRegion(view: SnapshotView, coverage: RegionCoverage): FixProposal {
  const stopped = coverage.trails.find((c) => view.owns(c.trail) && c.logging === false);
  if (stopped) {
    const { Name, HomeRegion, TrailARN } = stopped.trail.config;
    const cost = secondCopyCost(view, Name, TrailARN);
    return {
      summary: rich`Start logging on trail ${code(Name)}, which covers ${coverage.region} but is stopped.`,
      calls: [startLogging(stopped.trail)],
      console: [
        `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}, and choose Start logging.`,
      ],
      ...(cost ? { notes: [cost] } : {}),
    };
  }
  const owned =
    view.ownedTrails.find((t) => t.status?.ok === true && t.status.value.IsLogging === true) ??
    view.ownedTrails[0];
  if (owned) {
    const { Name, TrailARN } = owned.config;
    const logging = owned.status?.ok === true && owned.status.value.IsLogging === true;
    const cost = secondCopyCost(view, Name, TrailARN);
    return {
      ...(cost ? { notes: [cost] } : {}),
      summary: logging
        ? rich`Turn trail ${code(Name)} into a multi-Region trail, so it covers ${coverage.region} and every other Region.`
        : rich`Turn trail ${code(Name)} into a multi-Region trail and start it, so it covers ${coverage.region} and every other Region.`,
      calls: [makeMultiRegion(owned), ...(logging ? [] : [startLogging(owned)])],
      console: [
        'The console cannot make an existing single-Region trail multi-Region: run the CLI commands, or create a new trail in the console (console trails are multi-Region).',
      ],
    };
  }
  return createTrail(view);
}

export const control: ControlDefinition = {
  id: 'CloudTrail.3',
  frameworks: listedAs({ securityhub: 'CloudTrail.3' }),
  title: 'At least one CloudTrail trail should be enabled',
  severity: 'high',
  resourceType: 'AwsAccount',
  scope: 'trails',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 'cloudtrail.status' }],
  texts,
  fixPermissions: { calls: [...TRAIL_SETTING_CALLS, ...NEW_TRAIL_CALLS] },
  evaluate(view) {
    const failedListing = new Map(view.failedDiscoveries.map((d) => [d.region, d.failure]));
    return regionCoverage(view).map((coverage) => {
      const resource = regionResource(view, coverage.region);
      const logging = coverage.trails.filter((c) => c.logging === true);
      const best = logging.find((c) => c.via === 'home-region') ?? logging[0];
      if (best) {
        const name = best.trail.config.Name;
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message:
            best.via === 'multi-region'
              ? rich`Multi-Region trail ${code(name)} is logging, so ${coverage.region} is covered.`
              : rich`Trail ${code(name)}, homed in ${coverage.region}, is logging.`,
          evidence: coveringEvidence(best),
        });
      }
      const unreadable = coverage.trails.filter((c) => isMissing(c.logging));
      const listingFailure = failedListing.get(coverage.region);
      if (unreadable.length > 0 || listingFailure) {
        const missing: MissingFact[] = unreadable.map((c) => c.logging as MissingFact);
        if (listingFailure) missing.push(missingFromFailure(listingFailure));
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message:
            unreadable.length > 0
              ? rich`Whether trail ${nameList(
                  unreadable.map((c) => c.trail.config.Name),
                  'or',
                )} logs in ${coverage.region} could not be read: ${describeMissing(missing)}.`
              : rich`Trails homed in ${coverage.region} could not be listed (${describeMissing(missing)}), and no multi-Region trail is logging.`,
          // The covering trails' evidence already carries their failed status calls; add the listing's.
          evidence: [
            ...coverage.trails.flatMap(coveringEvidence),
            ...(listingFailure ? [failureEvidence(listingFailure)] : []),
          ],
          remediation: settleUnknown(missing, rich`the trails covering ${coverage.region}`),
        });
      }
      const stopped = coverage.trails.map((c) => c.trail.config.Name);
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message:
          stopped.length > 0
            ? rich`No trail is logging in ${coverage.region}: ${nameList(stopped)} ${stopped.length === 1 ? 'covers it but is' : 'cover it but are'} stopped.`
            : rich`No trail covers ${coverage.region}: API activity there is not recorded.`,
        evidence:
          coverage.trails.length > 0
            ? coverage.trails.flatMap(coveringEvidence)
            : discoveryEvidence(view, coverage.region),
        proposal: coverRegion(view, coverage),
      });
    });
  },
};

function discoveryEvidence(view: SnapshotView, region: string): Evidence[] {
  return view.snapshot.cloudtrail.discovery
    .filter((d) => d.region === region)
    .map((d) => observationEvidence(d.result, (v) => ({ TrailARNs: v.TrailARNs })));
}
