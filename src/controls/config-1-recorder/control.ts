import { describeMissing, missingFromFailure, observationEvidence } from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, nameList, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import { awsCli } from '../../fixes/shell.js';
import type { ConfigRecorder, ConfigRecorderStatus, ConfigRegion } from '../../snapshot/schema.js';
import { accountResource, makeFinding, settleUnknown, unscannedRegionsFinding } from '../shared.js';
import { notCollectedFinding, regionResource } from '../regional-evidence.js';
import type { ControlDefinition, Evidence, Finding, FixProposal, Remediation } from '../types.js';
import { GLOBAL_TYPES, configServiceRole } from './names.js';
import { texts } from './texts.js';
import { CONFIG_FIX_PERMISSIONS, setUpConfig } from './fix.js';
import { configBucket } from './options.js';
import { optionValue } from '../options.js';
import { listedAs } from '../../frameworks/index.js';

/** What one Region's evidence says: the recorder that passes, or what is wrong, or what is missing. */
type RegionVerdict =
  | { status: 'PASS'; recorder: ConfigRecorder; global: boolean }
  | { status: 'FAIL'; problems: RichText[] }
  | { status: 'UNKNOWN'; missing: MissingFact[] };

function judgeRegion(record: ConfigRegion): RegionVerdict {
  const missing = [record.recorders, record.statuses, record.channels].flatMap((o) =>
    o.ok ? [] : [missingFromFailure(o.failure)],
  );
  if (missing.length > 0 || !record.recorders.ok || !record.statuses.ok || !record.channels.ok)
    return { status: 'UNKNOWN', missing };
  const recorders = record.recorders.value.ConfigurationRecorders;
  const statuses = new Map(record.statuses.value.ConfigurationRecordersStatus.map((s) => [s.name, s]));
  const channels = record.channels.value.DeliveryChannels;
  if (recorders.length === 0) return { status: 'FAIL', problems: [rich`it has no configuration recorder`] };
  const problemsOf = (r: ConfigRecorder, s: ConfigRecorderStatus | undefined): RichText[] => {
    const problems: RichText[] = [];
    if (r.recordingGroup?.allSupported !== true)
      problems.push(
        rich`recorder ${code(r.name)} records only some resource types (allSupported is not true)`,
      );
    if (s?.recording !== true) problems.push(rich`recorder ${code(r.name)} is not recording`);
    else if (s.lastStatus === 'FAILURE')
      problems.push(rich`recorder ${code(r.name)} last failed (${s.lastErrorCode ?? 'no error code'})`);
    return problems;
  };
  const good = recorders.find((r) => problemsOf(r, statuses.get(r.name)).length === 0);
  const problems = good
    ? []
    : problemsOf(recorders[0] as ConfigRecorder, statuses.get(recorders[0]?.name ?? ''));
  if (channels.length === 0) problems.push(rich`it has no delivery channel, so nothing is delivered`);
  if (problems.length > 0 || !good) return { status: 'FAIL', problems };
  return { status: 'PASS', recorder: good, global: good.recordingGroup?.includeGlobalResourceTypes === true };
}

function evidenceOf(record: ConfigRegion): Evidence[] {
  return [
    observationEvidence(record.recorders, (v) => ({ ConfigurationRecorders: v.ConfigurationRecorders })),
    observationEvidence(record.statuses, (v) => ({
      ConfigurationRecordersStatus: v.ConfigurationRecordersStatus,
    })),
    observationEvidence(record.channels, (v) => ({ DeliveryChannels: v.DeliveryChannels })),
  ];
}

/** The exact commands that make `region` pass, with the names already there (or AWS Config's defaults). */
function setUpCommands(
  view: SnapshotView,
  record: ConfigRegion,
  all: readonly ConfigRegion[],
  global: boolean,
): Remediation {
  const region = record.region;
  const recorder = record.recorders.ok ? record.recorders.value.ConfigurationRecorders[0] : undefined;
  const name = recorder?.name ?? 'default';
  const role = recorder?.roleARN ?? configServiceRole(view.partition, view.accountId);
  const channel = record.channels.ok ? record.channels.value.DeliveryChannels[0] : undefined;
  // A channel may deliver to a bucket in another Region: reuse the one the account already uses.
  const bucket =
    channel?.s3BucketName ??
    all.flatMap((r) => (r.channels.ok ? r.channels.value.DeliveryChannels : [])).find((c) => c.s3BucketName)
      ?.s3BucketName;
  const cli = [
    awsCli('configservice', 'put-configuration-recorder', {
      region,
      'configuration-recorder': `name=${name},roleARN=${role}`,
      'recording-group': `allSupported=true,includeGlobalResourceTypes=${String(global)}`,
    }),
  ];
  if (!channel)
    cli.push(
      awsCli('configservice', 'put-delivery-channel', {
        region,
        'delivery-channel': `name=default,s3BucketName=${bucket ?? `config-bucket-${view.accountId}`}`,
      }),
    );
  cli.push(
    awsCli('configservice', 'start-configuration-recorder', { region, 'configuration-recorder-name': name }),
  );
  return {
    summary: bucket
      ? rich`Record every resource type with AWS Config in ${region}${global ? ', global ones included,' : ''} and deliver to ${code(bucket)}.`
      : rich`Record every resource type with AWS Config in ${region}${global ? ', global ones included' : ''}; first create an S3 bucket whose policy lets config.amazonaws.com write (the commands name it ${code(`config-bucket-${view.accountId}`)}).`,
    cli,
    console: [
      `Open the AWS Config console in ${region} and choose Settings (or Get started).`,
      `Under Recording strategy choose All resource types with customizable overrides${global ? ', include globally recorded resource types,' : ''} and pick the delivery bucket, then Save.`,
    ],
  };
}

export const control: ControlDefinition = {
  id: 'Config.1',
  frameworks: listedAs({ securityhub: 'Config.1', cis12: '2.5', cis14: '3.5', cis3: '3.3' }),
  title: 'AWS Config should be enabled, recording every resource type, in every Region',
  severity: 'medium',
  resourceType: 'AwsAccount',
  needs: [{ kind: 'config.recorders' }],
  texts,
  options: [configBucket],
  fixPermissions: CONFIG_FIX_PERMISSIONS,
  evaluate(view) {
    const section = view.snapshot.config;
    if (!section)
      return [
        notCollectedFinding(control, view, 'config:DescribeConfigurationRecorders', 'AWS Config'),
        ...unscannedRegionsFinding(control, view, 'AWS Config in any other Region'),
      ];
    const verdicts = section.regions.map((record) => ({ record, verdict: judgeRegion(record) }));
    // Where global types are to be recorded when no Region does yet: the Region the account finding names.
    const globalHome = verdicts.some((v) => v.verdict.status === 'PASS' && v.verdict.global)
      ? undefined
      : homeOf(view, verdicts)?.record.region;
    const findings: Finding[] = verdicts.map(({ record, verdict }) => {
      const resource = regionResource(view, record.region);
      const evidence = evidenceOf(record);
      if (verdict.status === 'UNKNOWN')
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`AWS Config in ${record.region} could not be checked: ${describeMissing(verdict.missing)}.`,
          evidence,
          remediation: settleUnknown(verdict.missing, rich`AWS Config in ${record.region}`),
        });
      if (verdict.status === 'FAIL')
        return makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`AWS Config does not record every resource type in ${record.region}: ${joinProblems(verdict.problems)}.`,
          evidence,
          // The fix records global types here too when this is their Region; the commands stay as they were.
          ...fixOrCommands(view, record, section.regions, record.region === globalHome, false),
        });
      return makeFinding(control, {
        status: 'PASS',
        resource,
        message: rich`Recorder ${code(verdict.recorder.name)} records every resource type in ${record.region} and delivers to a channel.`,
        evidence,
      });
    });
    if (section.regions.length > 0) findings.push(globalTypesFinding(view, verdicts));
    return [...findings, ...unscannedRegionsFinding(control, view, 'AWS Config in any other Region')];
  },
};

function joinProblems(problems: readonly RichText[]): RichText {
  return problems.flatMap((p, i) => (i === 0 ? p : ['; ', ...p]));
}

/** Global resource types are recorded once for the account: some passing Region must include them. */
function globalTypesFinding(
  view: SnapshotView,
  verdicts: ReadonlyArray<{ record: ConfigRegion; verdict: RegionVerdict }>,
): Finding {
  const resource = { ...accountResource(view), name: GLOBAL_TYPES };
  const recording = verdicts
    .filter((v) => v.verdict.status === 'PASS' && v.verdict.global)
    .map((v) => v.record.region);
  const evidence = verdicts.flatMap((v) => evidenceOf(v.record).slice(0, 1));
  if (recording.length > 0)
    return makeFinding(control, {
      status: 'PASS',
      resource,
      message: rich`Global resource types (IAM users, roles, policies) are recorded in ${nameList(recording)}.`,
      evidence,
    });
  const missing = verdicts.flatMap((v) => (v.verdict.status === 'UNKNOWN' ? v.verdict.missing : []));
  if (missing.length > 0)
    return makeFinding(control, {
      status: 'UNKNOWN',
      resource,
      message: rich`No checked Region records global resource types (IAM users, roles, policies), and AWS Config could not be checked in every Region: ${describeMissing(missing)}.`,
      evidence,
      remediation: settleUnknown(missing, rich`AWS Config`),
    });
  // Called only with at least one Region.
  const home = homeOf(view, verdicts);
  if (!home) throw new Error('globalTypesFinding needs at least one Region');
  return makeFinding(control, {
    status: 'FAIL',
    resource,
    message: rich`No Region records global resource types (IAM users, roles, policies), so changes to them leave no configuration history.`,
    evidence,
    ...fixOrCommands(
      view,
      home.record,
      verdicts.map((v) => v.record),
      true,
    ),
  });
}

/** The control Region first, as the natural home of global types. */
function homeOf<V extends { record: ConfigRegion }>(
  view: SnapshotView,
  verdicts: readonly V[],
): V | undefined {
  return verdicts.find((v) => v.record.region === view.snapshot.scope.controlRegion) ?? verdicts[0];
}

/** The fix trailcheck applies when the user named the bucket (--config-bucket), else the commands to run. */
function fixOrCommands(
  view: SnapshotView,
  record: ConfigRegion,
  all: readonly ConfigRegion[],
  global: boolean,
  globalInCommands = global,
): { proposal: FixProposal } | { remediation: Remediation } {
  const bucket = optionValue(view, configBucket);
  const proposal =
    bucket === undefined
      ? undefined
      : setUpConfig(record, configServiceRole(view.partition, view.accountId), bucket, global);
  return proposal ? { proposal } : { remediation: setUpCommands(view, record, all, globalInCommands) };
}
