/**
 * CIS "S3 object-level logging for write (read) events": a multi-Region trail that is logging records
 * every S3 object write (read) in every bucket, current and future. No Security Hub control exists for
 * it; the AWS Config rules cloudtrail-all-write-s3-data-event-check / -read- are the reference.
 */
import { s3DataEventCoverage } from '../evaluate/selectors.js';
import type { S3Access } from '../evaluate/selectors.js';
import type { SnapshotView } from '../evaluate/view.js';
import { capitalize, code, joinRich, nameList, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import type { ApiCall } from '../fixes/calls.js';
import { s3DataEventsCost, secondCopyCost } from '../fixes/costs.js';
import { makeMultiRegion, putSelectors, startLogging } from '../fixes/builders.js';
import { TRAIL_SETTING_CALLS } from '../fixes/permissions.js';
import type { AdvancedEventSelector, BasicEventSelector, EventSelectors } from '../snapshot/schema.js';
import {
  bestOwnedTrail,
  checkTrails,
  decide,
  discoveryEvidence,
  multiRegionNeeds,
  ownerNote,
  trailCheckEvidence,
  uniqueReasons,
} from './multi-region-requirement.js';
import type { TrailCheck } from './multi-region-requirement.js';
import { accountResource, makeFinding, settleUnknown } from './shared.js';
import type { ControlDefinition, ControlTexts, Finding, FixProposal, Remediation } from './types.js';

const VERB: Record<S3Access, string> = { read: 'read', write: 'write' };

/**
 * The trail's selectors plus one that records exactly the missing S3 object events: writes only
 * (WriteOnly, readOnly=false) or reads only (ReadOnly, readOnly=true), never both, since data events are
 * charged per event and a fix must not record more than its sentence says. PutEventSelectors replaces
 * the whole set, so every selector the trail has is kept; `keepsOther` says whether those already record
 * the other kind of access, so the sentence can say the result records both.
 */
export function selectorsWithS3Events(
  current: EventSelectors | undefined,
  partition: string,
  access: S3Access,
): {
  flag: 'event-selectors' | 'advanced-event-selectors';
  selectors: BasicEventSelector[] | AdvancedEventSelector[];
  keepsOther: boolean;
} {
  const other: S3Access = access === 'read' ? 'write' : 'read';
  const keepsOther =
    current !== undefined && s3DataEventCoverage(current, partition, other).verdict === 'covered';
  const advanced = current?.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return {
      flag: 'advanced-event-selectors',
      selectors: [
        ...advanced,
        {
          Name: `All S3 object ${VERB[access]}s`,
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'readOnly', Equals: [access === 'read' ? 'true' : 'false'] },
          ],
        },
      ],
      keepsOther,
    };
  }
  return {
    flag: 'event-selectors',
    selectors: [
      ...(current?.EventSelectors ?? []),
      {
        ReadWriteType: access === 'read' ? 'ReadOnly' : 'WriteOnly',
        IncludeManagementEvents: false,
        DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:${partition}:s3`] }],
      },
    ],
    keepsOther,
  };
}

/** A sentence made of lower-case steps starts with a capital. */
function capitalized(text: RichText): RichText {
  const [first, ...rest] = text;
  return typeof first === 'string' ? [capitalize(first), ...rest] : text;
}

function remediation(
  view: SnapshotView,
  checks: TrailCheck[],
  access: S3Access,
): { proposal: FixProposal } | { remediation: Remediation } {
  const target = bestOwnedTrail(checks.filter((c) => c.multiRegion)) ?? bestOwnedTrail(checks);
  if (!target) {
    return {
      remediation: {
        summary: rich`Create a multi-Region trail first (see CloudTrail.1), then add a data event selector for every S3 object ${VERB[access]}.`,
        cli: [],
        console: [],
      },
    };
  }
  const { Name, HomeRegion, TrailARN } = target.trail.config;
  const current = target.trail.eventSelectors?.ok ? target.trail.eventSelectors.value : undefined;
  const other = access === 'read' ? 'write' : 'read';
  const fix = selectorsWithS3Events(current, view.partition, access);
  const steps: RichText[] = [];
  const calls: ApiCall[] = [];
  const notes: string[] = [];
  if (!target.multiRegion) {
    steps.push(rich`make ${code(Name)} multi-Region`);
    calls.push(makeMultiRegion(target.trail));
  }
  steps.push(
    fix.keepsOther
      ? rich`record every S3 object ${VERB[access]} in every bucket on ${code(Name)}, next to the object ${VERB[other]}s it records already`
      : rich`record every S3 object ${VERB[access]} in every bucket on ${code(Name)} (${VERB[access]}s only, not ${VERB[other]}s)`,
  );
  calls.push(putSelectors(target.trail, fix));
  notes.push(s3DataEventsCost(Name, `every S3 object ${VERB[access]} in every bucket`));
  if (target.logging !== true) {
    steps.push(rich`start logging`);
    calls.push(startLogging(target.trail));
  }
  // Made multi-Region or started, the trail also records management events: charged if a second copy.
  const copyCost = calls.length > 1 ? secondCopyCost(view, Name, TrailARN) : undefined;
  if (copyCost) notes.push(copyCost);
  return {
    proposal: {
      summary: capitalized(
        rich`${joinRich(steps, ', ')}; S3 data events are charged per 100,000 events recorded.`,
      ),
      calls,
      console: [
        `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
        `Under Data events, choose Edit, add the S3 data event type with the log selector template “Log ${access === 'read' ? 'readOnly' : 'writeOnly'} events”, keep the selectors already there, then save.`,
      ],
      notes,
    },
  };
}

export function s3ObjectEventsControl(
  access: S3Access,
  meta: Pick<ControlDefinition, 'id' | 'title' | 'frameworks' | 'severity'>,
  texts: ControlTexts,
): ControlDefinition {
  const what = `every S3 object ${VERB[access]} in every bucket`;
  const control: ControlDefinition = {
    ...meta,
    resourceType: 'AwsAccount',
    scope: 'trails',
    needs: multiRegionNeeds(),
    texts,
    fixPermissions: { calls: TRAIL_SETTING_CALLS },
    evaluate(view): Finding[] {
      const resource = accountResource(view);
      const coverage = (selectors: EventSelectors) => s3DataEventCoverage(selectors, view.partition, access);
      const describeGap = (reasons: string[]) => rich`does not record ${what} (${reasons.join('; ')})`;
      const checks = checkTrails(view, control.id, coverage, describeGap);
      const decision = decide(view, checks);
      if (decision.verdict === 'PASS') {
        return [
          makeFinding(control, {
            status: 'PASS',
            resource,
            message: rich`Multi-Region trail ${code(decision.winner.trail.config.Name)} is logging and records ${what}.${ownerNote(view, decision.winner.trail)}`,
            evidence: trailCheckEvidence(decision.winner),
          }),
        ];
      }
      if (decision.verdict === 'UNKNOWN' || decision.verdict === 'UNLISTED') {
        const names =
          decision.verdict === 'UNKNOWN' ? decision.undecided.map((c) => c.trail.config.Name) : [];
        return [
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message:
              names.length > 0
                ? rich`Trail ${nameList(names, 'or')} may record ${what}, but trailcheck could not confirm it: ${uniqueReasons(decision.unknowns)}.`
                : rich`trailcheck could not list the account's trails in any scanned Region: ${uniqueReasons(decision.unknowns)}.`,
            evidence:
              decision.verdict === 'UNKNOWN'
                ? decision.undecided.flatMap(trailCheckEvidence)
                : discoveryEvidence(view),
            remediation: settleUnknown(
              decision.unknowns,
              names.length > 0 ? rich`trail ${nameList(names)}` : rich`the trails`,
            ),
          }),
        ];
      }
      const multi = checks.filter((c) => c.multiRegion);
      const message =
        multi.length === 0
          ? rich`No multi-Region trail exists, so ${what} is not recorded.`
          : rich`No logging multi-Region trail records ${what}: ${joinRich(
              multi.map((c) => rich`${code(c.trail.config.Name)} ${joinRich(c.gaps, ' and ')}`),
              '; ',
            )}.`;
      return [
        makeFinding(control, {
          status: 'FAIL',
          resource,
          message,
          evidence: checks.length > 0 ? checks.flatMap(trailCheckEvidence) : discoveryEvidence(view),
          ...remediation(view, checks, access),
        }),
      ];
    },
  };
  return control;
}
