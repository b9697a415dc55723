import { UsageError } from '../util/errors.js';
import { closestMatch } from '../util/suggest.js';
import { control as cloudTrail1 } from './cloudtrail-1-multi-region/control.js';
import { control as cloudTrail2 } from './cloudtrail-2-kms-encryption/control.js';
import { control as cloudTrail3 } from './cloudtrail-3-region-coverage/control.js';
import { control as cloudTrail4 } from './cloudtrail-4-log-file-validation/control.js';
import { control as cloudTrail5 } from './cloudtrail-5-cloudwatch-logs/control.js';
import { control as cloudTrail6 } from './cloudtrail-6-bucket-not-public/control.js';
import { control as cloudTrail7 } from './cloudtrail-7-bucket-access-logging/control.js';
import { control as cloudTrail9 } from './cloudtrail-9-tags/control.js';
import { control as cloudTrail10 } from './cloudtrail-10-lake-cmk/control.js';
import { control as cloudWatch1 } from './cloudwatch-1-root-use/control.js';
import { control as cloudWatch2 } from './cloudwatch-2-unauthorized-api-calls/control.js';
import { control as cloudWatch3 } from './cloudwatch-3-console-signin-without-mfa/control.js';
import { control as cloudWatch4 } from './cloudwatch-4-iam-policy-changes/control.js';
import { control as cloudWatch5 } from './cloudwatch-5-cloudtrail-changes/control.js';
import { control as cloudWatch6 } from './cloudwatch-6-console-auth-failures/control.js';
import { control as cloudWatch7 } from './cloudwatch-7-cmk-disable-delete/control.js';
import { control as cloudWatch8 } from './cloudwatch-8-s3-bucket-policy-changes/control.js';
import { control as cloudWatch9 } from './cloudwatch-9-config-changes/control.js';
import { control as cloudWatch10 } from './cloudwatch-10-security-group-changes/control.js';
import { control as cloudWatch11 } from './cloudwatch-11-nacl-changes/control.js';
import { control as cloudWatch12 } from './cloudwatch-12-network-gateway-changes/control.js';
import { control as cloudWatch13 } from './cloudwatch-13-route-table-changes/control.js';
import { control as cloudWatch14 } from './cloudwatch-14-vpc-changes/control.js';
import { control as config1 } from './config-1-recorder/control.js';
import { control as ec26 } from './ec2-6-vpc-flow-logs/control.js';
import { control as kms4 } from './kms-4-key-rotation/control.js';
import { control as accessLogTarget } from './tc-access-log-target/control.js';
import { control as bucketPolicyScoped } from './tc-bucket-policy-scoped/control.js';
import { control as bucketRetention } from './tc-bucket-retention/control.js';
import { control as deliveryHealth } from './tc-delivery-health/control.js';
import { control as insights } from './tc-insights/control.js';
import { control as kmsKeyUsable } from './tc-kms-key-usable/control.js';
import { control as organizationsChanges } from './tc-organizations-changes/control.js';
import { control as s3ObjectReads } from './tc-s3-object-reads/control.js';
import { control as s3ObjectWrites } from './tc-s3-object-writes/control.js';
import type { ControlOption } from './options.js';
import type { ControlDefinition } from './types.js';

/**
 * Every control trailcheck knows, in report order: the Security Hub controls, then the CIS checks that have
 * no Security Hub control, then trailcheck's own. To add one, copy a folder and list it here.
 */
export const CONTROLS: readonly ControlDefinition[] = [
  cloudTrail1,
  cloudTrail2,
  cloudTrail3,
  cloudTrail4,
  cloudTrail5,
  cloudTrail6,
  cloudTrail7,
  cloudTrail9,
  cloudTrail10,
  cloudWatch1,
  cloudWatch2,
  cloudWatch3,
  cloudWatch4,
  cloudWatch5,
  cloudWatch6,
  cloudWatch7,
  cloudWatch8,
  cloudWatch9,
  cloudWatch10,
  cloudWatch11,
  cloudWatch12,
  cloudWatch13,
  cloudWatch14,
  config1,
  ec26,
  kms4,
  s3ObjectWrites,
  s3ObjectReads,
  organizationsChanges,
  deliveryHealth,
  kmsKeyUsable,
  bucketPolicyScoped,
  bucketRetention,
  accessLogTarget,
  insights,
];

/** Every control's own options (declared in its folder), in the order of their controls. */
// Several controls may share one option (the monitoring checks' --alert-topic): each is listed once.
export const CONTROL_OPTIONS: readonly ControlOption<unknown>[] = [
  ...new Set(CONTROLS.flatMap((c) => c.options ?? [])),
];

/** The four controls of the seed report, the demo's default view. */
export const SEED_CONTROL_IDS = ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.7'] as const;

/** "unknown control 'CloudTral.4'; did you mean CloudTrail.4?", or the list of known ids when none is close. */
export function unknownControl(id: string, orElse = ''): UsageError {
  const ids = CONTROLS.map((c) => c.id);
  const match = closestMatch(id, ids);
  return new UsageError(
    match !== undefined
      ? `unknown control '${id}'; did you mean ${match}? ('trailcheck controls' lists every control)`
      : `unknown control '${id}'; known controls: ${ids.join(', ')}${orElse ? ` ${orElse}` : ''}.`,
  );
}

export function findControl(id: string): ControlDefinition | undefined {
  const wanted = id.trim().toLowerCase();
  return CONTROLS.find((c) => c.id.toLowerCase() === wanted);
}

/** Parses `--controls CloudTrail.1,CloudTrail.4` (case-insensitive; `all` for every control), keeping report order. */
export function selectControls(
  list: string | undefined,
  from: readonly ControlDefinition[] = CONTROLS,
): ControlDefinition[] {
  if (list === undefined) return [...from];
  const ids = list.split(',').map((s) => s.trim());
  if (ids.every((s) => s === ''))
    throw new UsageError('--controls needs at least one control id, e.g. --controls CloudTrail.1.');
  // 'CloudTrail.1,' is most likely a list cut short: say so rather than quietly assess fewer controls.
  if (ids.includes(''))
    throw new UsageError(
      `--controls has an empty item in '${list}'; separate control ids with single commas, e.g. --controls CloudTrail.1,CloudTrail.4.`,
    );
  if (ids.length === 1 && ids[0]?.toLowerCase() === 'all') return [...CONTROLS];
  const chosen = new Set<ControlDefinition>();
  for (const id of ids) {
    const control = findControl(id);
    if (!control) throw unknownControl(id, "(or 'all')");
    chosen.add(control);
  }
  return CONTROLS.filter((c) => chosen.has(c));
}

export type { ControlDefinition } from './types.js';
