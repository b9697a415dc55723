/**
 * Shared by the controls that judge each scanned Region's own services (Config.1, EC2.6, KMS.4): the
 * UNKNOWN findings for evidence that was never collected or whose listing failed in a Region.
 */
import type { SnapshotView } from '../evaluate/view.js';
import { describeMissing, missingFact } from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import { rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import { accountResource, makeFinding, settleUnknown } from './shared.js';
import type { ControlDefinition, Finding, ResourceRef } from './types.js';

type Judged = Pick<ControlDefinition, 'id' | 'title' | 'severity'>;

/** The account as seen in one Region: what a per-Region finding is about. */
export function regionResource(view: SnapshotView, region: string, name = region): ResourceRef {
  return { type: 'AwsAccount', id: view.accountId, name, region };
}

/** The snapshot was collected for other controls: one UNKNOWN finding, never silence. */
export function notCollectedFinding(
  control: Judged,
  view: SnapshotView,
  operation: string,
  what: string,
): Finding {
  const missing = [missingFact(undefined, operation) as MissingFact];
  return makeFinding(control, {
    status: 'UNKNOWN',
    resource: accountResource(view),
    message: rich`${what} could not be checked: ${describeMissing(missing)}.`,
    evidence: [],
    remediation: settleUnknown(missing, rich`${what}`),
  });
}

/** A Region whose listing failed: what lives there is unknown, said with the reason and the way to settle it. */
export function regionUnknownFinding(
  control: Judged,
  view: SnapshotView,
  region: string,
  missing: readonly MissingFact[],
  what: RichText,
  name = region,
): Finding {
  return makeFinding(control, {
    status: 'UNKNOWN',
    resource: regionResource(view, region, name),
    message: rich`${what} in ${region} could not be checked: ${describeMissing(missing)}.`,
    evidence: missing.flatMap((m) => (m.evidence ? [m.evidence] : [])),
    remediation: settleUnknown(missing, rich`${what} in ${region}`),
  });
}
