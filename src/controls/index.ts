import { UsageError } from '../util/errors.js';
import { control as cloudTrail1 } from './cloudtrail-1-multi-region/control.js';
import { control as cloudTrail2 } from './cloudtrail-2-kms-encryption/control.js';
import { control as cloudTrail4 } from './cloudtrail-4-log-file-validation/control.js';
import { control as cloudTrail7 } from './cloudtrail-7-bucket-access-logging/control.js';
import type { ControlDefinition } from './types.js';

/** Every control trailcheck knows, in report order. To add one, copy a folder and list it here. */
export const CONTROLS: readonly ControlDefinition[] = [cloudTrail1, cloudTrail2, cloudTrail4, cloudTrail7];

export function findControl(id: string): ControlDefinition | undefined {
  const wanted = id.trim().toLowerCase();
  return CONTROLS.find((c) => c.id.toLowerCase() === wanted);
}

/** Parses `--controls CloudTrail.1,CloudTrail.4` (case-insensitive), keeping report order. */
export function selectControls(list: string | undefined): ControlDefinition[] {
  if (list === undefined) return [...CONTROLS];
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0)
    throw new UsageError('--controls needs at least one control id, e.g. --controls CloudTrail.1.');
  const chosen = new Set<ControlDefinition>();
  for (const id of ids) {
    const control = findControl(id);
    if (!control) {
      throw new UsageError(
        `unknown control '${id}'; known controls: ${CONTROLS.map((c) => c.id).join(', ')}.`,
      );
    }
    chosen.add(control);
  }
  return CONTROLS.filter((c) => chosen.has(c));
}

export type { ControlDefinition } from './types.js';
