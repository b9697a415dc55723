import { CONTROLS, CONTROL_OPTIONS, selectControls } from '../controls/index.js';
import type { ControlOptionFlag } from '../controls/options.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import { findFramework } from '../controls/frameworks.js';
import { compareFrameworkIds } from '../frameworks/index.js';
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

/** The judgement settings given (flag, environment or config file), each parsed by its control's option. */
export function assessOptions(values: Partial<Record<ControlOptionFlag, string>>): AssessOptions {
  const options: AssessOptions = {};
  for (const option of CONTROL_OPTIONS) {
    const value = values[option.flag];
    if (value !== undefined) options[option.key] = option.parse(value);
  }
  return options;
}
