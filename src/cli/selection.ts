import { CONTROLS, selectControls } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import { compareFrameworkIds, findFramework } from '../frameworks/index.js';
import type { Framework } from '../frameworks/index.js';
import { UsageError } from '../util/errors.js';

export interface Selection {
  controls: ControlDefinition[];
  framework: Framework | undefined;
}

/**
 * --framework picks that framework's controls (and its numbering in reports); --controls picks controls
 * by id, and with a framework must name controls that belong to it. Without either: `defaults`.
 */
export function chooseControls(
  values: { controls?: string; framework?: string },
  defaults: readonly ControlDefinition[] = CONTROLS,
): Selection {
  const framework = values.framework !== undefined ? findFramework(values.framework) : undefined;
  if (!framework)
    return {
      controls: values.controls !== undefined ? selectControls(values.controls) : [...defaults],
      framework,
    };
  const inFramework = CONTROLS.filter((c) => framework.controls[c.id] !== undefined).sort((a, b) =>
    compareFrameworkIds(framework.controls[a.id] ?? '', framework.controls[b.id] ?? ''),
  );
  if (values.controls === undefined) return { controls: inFramework, framework };
  const chosen = selectControls(values.controls);
  const outside = chosen.filter((c) => !inFramework.includes(c));
  if (outside.length > 0) {
    throw new UsageError(
      `${outside.map((c) => c.id).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not part of ${framework.title}; its controls are ${inFramework.map((c) => c.id).join(', ')}.`,
    );
  }
  return { controls: inFramework.filter((c) => chosen.includes(c)), framework };
}

function positiveInteger(flag: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1 || number > max) {
    throw new UsageError(`--${flag} takes a whole number from 1 to ${max}, not '${value}'.`);
  }
  return number;
}

/** The judgement settings given on the command line. */
export function assessOptions(values: {
  'required-tags'?: string;
  'retention-days'?: string;
  'max-delivery-age'?: string;
}): AssessOptions {
  const options: AssessOptions = {};
  if (values['required-tags'] !== undefined) {
    const keys = values['required-tags']
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    if (keys.length === 0)
      throw new UsageError(
        '--required-tags needs at least one tag key, e.g. --required-tags Owner,CostCenter.',
      );
    const bad = keys.find((k) => k.length > 128);
    if (bad !== undefined)
      throw new UsageError(
        `--required-tags: a tag key has at most 128 characters ('${bad.slice(0, 20)}…' is longer).`,
      );
    options.requiredTagKeys = keys;
  }
  if (values['retention-days'] !== undefined) {
    options.minimumRetentionDays = positiveInteger('retention-days', values['retention-days'], 36_500);
  }
  if (values['max-delivery-age'] !== undefined) {
    options.maximumDeliveryAgeHours = positiveInteger('max-delivery-age', values['max-delivery-age'], 8_760);
  }
  return options;
}
