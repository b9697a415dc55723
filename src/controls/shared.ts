import type { SnapshotView } from '../evaluate/view.js';
import { UNKNOWN_CAUSES, causeOfFailure, explainFailures } from '../aws/errors.js';
import type { UnknownCause } from '../aws/errors.js';
import { describeMissing, failureEvidence, missingFromFailure } from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import { code, joinRich, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import type { TrailRecord } from '../snapshot/schema.js';
import { cliScript } from '../fixes/calls.js';
import type {
  ControlDefinition,
  Evidence,
  Finding,
  FixProposal,
  Remediation,
  ResourceRef,
  Status,
} from './types.js';

export interface FindingInput {
  status: Status;
  resource: ResourceRef;
  message: RichText;
  evidence: Evidence[];
  remediation?: Remediation | null;
  /** For FAIL: the calls that fix it; the remediation is then their view (the plan may merge it with others). */
  proposal?: FixProposal;
}

/**
 * The remediation a proposal reads as on its own: its sentence, its calls as CLI commands, its console
 * steps. The commands are written when first read: the planner judges thousands of findings again whose
 * remediation no report shows (a fixed finding shows the plan's steps instead).
 */
export function remediationOf(fix: FixProposal): Remediation {
  let cli: string[] | undefined;
  return {
    summary: fix.summary,
    get cli(): string[] {
      return (cli ??= cliScript(fix.calls));
    },
    console: fix.console,
  };
}

/** A finding with the control's own id, title and severity. */
export function makeFinding(
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  input: FindingInput,
): Finding {
  return {
    control: control.id,
    status: input.status,
    severity: control.severity,
    title: control.title,
    message: input.message,
    resource: input.resource,
    evidence: input.evidence,
    remediation:
      input.status === 'PASS'
        ? null
        : (input.remediation ?? (input.proposal ? remediationOf(input.proposal) : null)),
    ...(input.status === 'FAIL' && input.proposal ? { proposal: input.proposal } : {}),
  };
}

export function accountResource(view: SnapshotView): ResourceRef {
  return {
    type: 'AwsAccount',
    id: view.accountId,
    name: view.accountId,
    region: view.snapshot.scope.controlRegion,
  };
}

export function trailResource(trail: TrailRecord): ResourceRef {
  return {
    type: 'AwsCloudTrailTrail',
    id: trail.config.TrailARN,
    name: trail.config.Name,
    region: trail.config.HomeRegion,
  };
}

export function bucketResource(view: SnapshotView, name: string, region: string): ResourceRef {
  return { type: 'AwsS3Bucket', id: view.arnOfBucket(name), name, region };
}

/** The cause of one missing fact: its failed call's kind, or that the snapshot never asked. */
function causeOfMissing(m: MissingFact): UnknownCause {
  if (m.notCollected) return 'not-collected';
  const kind = m.failure?.kind ?? m.evidence?.error?.kind;
  return kind === undefined ? 'other' : causeOfFailure(kind);
}

/**
 * The step that would settle an UNKNOWN, fitted to what stopped it: permissions only for a denial; for
 * a throttle, a server error, a timeout or the network, that AWS did not answer and another run is all it
 * takes; a disabled Region is enabled or left out; a vanished resource is assessed again as it is now.
 */
export function settleUnknown(missing: readonly MissingFact[], subject: RichText): Remediation {
  const byCause = new Map<UnknownCause, MissingFact[]>();
  for (const m of missing) {
    const cause = causeOfMissing(m);
    byCause.set(cause, [...(byCause.get(cause) ?? []), m]);
  }
  const causes = UNKNOWN_CAUSES.filter((c) => byCause.has(c));
  const denied = byCause.get('denied') ?? [];
  const permissions = [...new Set(denied.flatMap((m) => (m.permission ? [m.permission] : [])))].sort();
  const why = (cause: UnknownCause) => describeMissing(byCause.get(cause) ?? []);
  const sentences = causes.map((cause): RichText => {
    switch (cause) {
      case 'denied':
        return permissions.length > 0
          ? rich`Allow the scanning identity ${permissions.join(', ')} for ${subject}, then run trailcheck again.`
          : rich`Give the scanning identity access to ${subject} (${why(cause)}), then run trailcheck again.`;
      case 'no-answer':
        return rich`AWS did not answer for ${subject} (${why(cause)}); run trailcheck again${denied.length === 0 ? ' – no permission is missing' : ''}.`;
      case 'region-disabled': {
        const regions = [...new Set((byCause.get(cause) ?? []).flatMap((m) => m.failure?.region ?? []))];
        const where = regions.length === 1 ? `Region ${regions[0]}` : `Regions ${regions.join(', ')}`;
        return rich`${where} ${regions.length === 1 ? 'is' : 'are'} not enabled for this account (${why(cause)}): enable ${regions.length === 1 ? 'it' : 'them'}, or leave ${regions.length === 1 ? 'it' : 'them'} out with --region, then run trailcheck again.`;
      }
      case 'resource-gone':
        return rich`What trailcheck read for ${subject} was gone by the next call (${why(cause)}), so it was likely deleted or renamed during the scan: run trailcheck again to assess it as it is now.`;
      case 'credentials':
        return rich`The scanning credentials were refused (${why(cause)}): renew them, then run trailcheck again.`;
      case 'unsupported':
        return rich`The endpoint does not support what ${subject} needs (${why(cause)}): run trailcheck against AWS itself.`;
      case 'not-collected':
        return rich`Collect the evidence again with this control included (trailcheck collect, or a live trailcheck scan) to assess ${subject}.`;
      case 'other':
        return rich`Resolve what kept trailcheck from reading ${subject} (${why(cause)}), then run trailcheck again.`;
    }
  });
  const summary =
    sentences.length > 0
      ? joinRich(sentences, ' ')
      : rich`Resolve what kept trailcheck from reading ${subject}, then run trailcheck again.`;
  const remediation: Remediation = { summary, cli: [], console: [] };
  if (permissions.length > 0) remediation.permissions = permissions;
  if (causes.length > 0) remediation.causes = causes;
  return remediation;
}

/** The UNKNOWN finding for a trail whose `what` (its tags, status, …) could not be read. */
export function unknownTrailFinding(
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  trail: TrailRecord,
  what: string,
  missing: readonly MissingFact[],
  evidence: Evidence[],
): Finding {
  const name = trail.config.Name;
  return makeFinding(control, {
    status: 'UNKNOWN',
    resource: trailResource(trail),
    message: rich`The ${what} of trail ${code(name)} could not be read: ${describeMissing(missing)}.`,
    evidence,
    remediation: settleUnknown(missing, rich`trail ${code(name)}`),
  });
}

/** Names of the resources of findings with a given status. */
export function namesWith(findings: readonly Finding[], status: Status): string[] {
  return findings.filter((f) => f.status === status).map((f) => f.resource.name);
}

/**
 * The summary-table sentence for a per-resource control: what passed, what failed, what could not be
 * told, each naming the resources.
 */
export function perResourceMeaning(
  outcome: { status: string; findings: readonly Finding[] },
  phrases: {
    none: RichText;
    allPass: (names: string[]) => RichText;
    someFail: (failed: string[], passed: string[]) => RichText;
    unknown: (unknown: string[]) => RichText;
  },
): RichText {
  const failed = namesWith(outcome.findings, 'FAIL');
  const passed = namesWith(outcome.findings, 'PASS');
  const unknown = namesWith(outcome.findings, 'UNKNOWN');
  if (outcome.findings.length === 0) return phrases.none;
  if (failed.length > 0) {
    const text = phrases.someFail(failed, passed);
    return unknown.length > 0 ? [...text, ' ', ...phrases.unknown(unknown)] : text;
  }
  if (unknown.length > 0) return phrases.unknown(unknown);
  return phrases.allPass(passed);
}

/**
 * Without --region, a scan covers the Regions the account has enabled; when those could not be listed,
 * only the control Region was scanned, and whatever lives in the others was never seen. Any control
 * whose resources live in Regions says so with one UNKNOWN finding (`unchecked`: what was not checked,
 * e.g. "the encryption of any event data store in another Region").
 */
export function unscannedRegionsFinding(
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  view: SnapshotView,
  unchecked: string,
): Finding[] {
  const { regionDiscovery, requestedRegions, regions: scanned } = view.snapshot.scope;
  if (regionDiscovery.ok || requestedRegions !== null) return [];
  const failure = regionDiscovery.failure;
  const where = scanned.length === 1 ? `Region ${scanned[0]}` : `Regions ${scanned.join(', ')}`;
  return [
    makeFinding(control, {
      status: 'UNKNOWN',
      resource: { ...accountResource(view), name: 'Regions not scanned' },
      message: rich`The account's enabled Regions could not be listed (${failure.code}), so only ${where} was scanned and ${unchecked} was not checked.`,
      evidence: [failureEvidence(failure)],
      remediation: settleUnknown([missingFromFailure(failure)], rich`the account's enabled Regions`),
    }),
  ];
}

/**
 * Per-trail controls cannot see a single-Region trail homed in a Region whose trail listing failed, nor in
 * a Region that was never scanned because the account's enabled Regions could not be listed (and none
 * were named with --region). Saying nothing would read as "nothing wrong there", so each becomes one
 * explicit UNKNOWN finding.
 */
export function unlistedRegionsFinding(
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  view: SnapshotView,
  what: string,
): Finding[] {
  const findings = unscannedRegionsFinding(control, view, `${what} of any trail homed in another Region`);
  const failures = view.failedDiscoveries;
  if (failures.length === 0) return findings;
  const regions = failures.map((f) => f.region);
  const missing = failures.map((f) => missingFromFailure(f.failure));
  const reasons = explainFailures(failures.map((f) => f.failure));
  const where = view.regionsPhrase(regions);
  findings.push(
    makeFinding(control, {
      status: 'UNKNOWN',
      resource: { ...accountResource(view), name: `trails in ${where}` },
      message: rich`Trails could not be listed in ${where} (${reasons}), so ${what} of any trail homed there was not checked.`,
      evidence: failures.map((f) => failureEvidence(f.failure)),
      remediation: settleUnknown(missing, rich`the trails in ${where}`),
    }),
  );
  return findings;
}
