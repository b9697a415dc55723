/**
 * What `trailcheck plan` and `trailcheck fix` share: reading their flags, gathering the evidence (live or
 * from a snapshot), asking AWS which names the fixes would create are free, and planning.
 */
import { AwsClientFactory } from '../aws/clients.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import { collect } from '../collect/index.js';
import { parseRegionList } from '../collect/regions.js';
import type { ControlOptionFlag } from '../controls/options.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import { assess } from '../judge/assess.js';
import type { Assessment } from '../judge/assess.js';
import { buildPlan } from '../remediate/plan.js';
import type { Plan } from '../remediate/plan.js';
import { existingNames, namesCreated, probeNames } from '../remediate/probe.js';
import { readTopic } from '../collect/monitoring.js';
import { readSnapshotFile } from '../snapshot/io.js';
import type { Snapshot } from '../snapshot/schema.js';
import { CannotRunError, UsageError } from '../util/errors.js';
import type { CliIO } from './io.js';
import { ACCESS_OPTIONS, ASSESS_OPTIONS, REPORT_OPTIONS, SELECTION_OPTIONS } from './options.js';
import { accessOptions, progressDisplay, todayUtc } from './output.js';
import { expiredMessage, readSuppressionFile, suppressionMatcher } from '../judge/suppressions.js';
import { assessOptions, chooseControls } from './selection.js';
import type { Selection } from './selection.js';

export const REMEDIATION_OPTIONS = {
  ...ACCESS_OPTIONS,
  ...SELECTION_OPTIONS,
  ...ASSESS_OPTIONS,
  snapshot: { type: 'string' },
  'kms-key': { type: 'string' },
  output: { type: 'string', short: 'o' },
  ignore: REPORT_OPTIONS.ignore,
} as const;

/** The flags plan and fix read, the controls' own options included. */
export interface RemediationFlags extends Partial<Record<ControlOptionFlag, string>> {
  profile?: string;
  region?: string;
  controls?: string;
  framework?: string;
  snapshot?: string;
  'kms-key'?: string;
  ignore?: string;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;

export interface Prepared {
  selection: Selection;
  options: AssessOptions;
  access: AwsAccessOptions;
  regions: string[] | null;
}

/** Every flag checked before the first AWS call. */
export function prepare(values: RemediationFlags, io: CliIO): Prepared {
  const selection = chooseControls(values);
  const options = assessOptions(values);
  // The chosen CIS version decides the monitoring checks' patterns, in the plan as in the scan.
  if (selection.framework) options.framework = selection.framework;
  const kmsKey = values['kms-key'];
  if (kmsKey !== undefined) {
    if (!KEY_ARN.test(kmsKey.trim()))
      throw new UsageError(
        `--kms-key takes a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not '${kmsKey}'; an alias will not do, because CloudTrail records the key it was given.`,
      );
    options.remediation = { kmsKeyArn: kmsKey.trim() };
  }
  if (values.snapshot !== undefined && (values.profile !== undefined || values.region !== undefined)) {
    throw new UsageError(
      '--snapshot plans from saved evidence, so --profile and --region do not apply to it.',
    );
  }
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  return { selection, options, access: accessOptions(values, io), regions };
}

/**
 * Reads the --ignore file (before any AWS call) so the plan leaves accepted findings alone; an expired
 * entry no longer applies, and one line on stderr says so.
 */
export async function acceptSuppressions(
  values: RemediationFlags,
  prepared: Prepared,
  io: CliIO,
): Promise<void> {
  if (values.ignore === undefined) return;
  const file = await readSuppressionFile(values.ignore);
  const { markOf, expired } = suppressionMatcher(file, todayUtc());
  if (expired.length > 0) io.stderr(`trailcheck: ${expiredMessage(file, expired)}\n`);
  prepared.options.remediation = { ...prepared.options.remediation, accepted: markOf };
}

export async function gatherEvidence(
  io: CliIO,
  values: RemediationFlags,
  prepared: Prepared,
  controls: readonly ControlDefinition[] = prepared.selection.controls,
): Promise<Snapshot> {
  if (values.snapshot !== undefined) return readSnapshotFile(values.snapshot);
  const progress = progressDisplay(io);
  try {
    return await collect({
      access: prepared.access,
      regions: prepared.regions,
      controls,
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    });
  } finally {
    progress.clear();
  }
}

/**
 * Judges the snapshot once and plans; when a factory is given (live AWS), first asks which of the names
 * the plan would create exist, and plans again with those taken, until every name it creates was found
 * free. The verdicts do not depend on the names, so they are not judged again.
 */
export async function planWithNames(
  snapshot: Snapshot,
  prepared: Prepared,
  factory: AwsClientFactory | undefined,
  assessment: Assessment = assess(snapshot, prepared.selection.controls, prepared.options),
): Promise<Plan> {
  const known = new Map<string, boolean>();
  if (factory) {
    const withTopic = await withAlertTopic(snapshot, prepared, factory);
    // Judged again with the topic: the fixes' proposals read its subscriptions (no verdict changes).
    if (withTopic !== snapshot) assessment = assess(withTopic, prepared.selection.controls, prepared.options);
    snapshot = withTopic;
  }
  const planOnce = () =>
    buildPlan(
      snapshot,
      prepared.selection.controls,
      {
        ...prepared.options,
        remediation: { ...prepared.options.remediation, existing: existingNames(known) },
      },
      assessment.judged,
    );
  let plan = planOnce();
  if (!factory) return plan;
  for (let round = 0; round < 6; round++) {
    const requests = namesCreated(plan.steps.map((s) => s.call)).filter(
      (r) => !known.has(`${r.kind}:${r.region}:${r.name}`),
    );
    if (requests.length === 0) return plan;
    await probeNames(factory, requests, known);
    plan = planOnce();
  }
  throw new CannotRunError(
    'could not find free names for the resources the fixes create; name them by hand.',
  );
}

/**
 * The subscriptions of the topic `--alert-topic` names, when no alarm notifies it yet (a scan reads only
 * those): the monitoring fixes are judged with it, and a topic nobody confirmed is never taken for one
 * that alerts someone.
 */
async function withAlertTopic(
  snapshot: Snapshot,
  prepared: Prepared,
  factory: AwsClientFactory,
): Promise<Snapshot> {
  const arn = prepared.options.alertTopic;
  const monitoring = snapshot.monitoring;
  if (typeof arn !== 'string' || !monitoring || monitoring.topics.some((t) => t.TopicArn === arn))
    return snapshot;
  const topic = await readTopic(factory, arn, arn.split(':')[3] ?? '');
  return { ...snapshot, monitoring: { ...monitoring, topics: [...monitoring.topics, topic] } };
}

export function newFactory(prepared: Prepared): AwsClientFactory {
  return new AwsClientFactory(prepared.access);
}
