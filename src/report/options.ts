/** What a renderer may be told besides the assessment. Renderers stay pure: these are plain values. */
import { UsageError } from '../util/errors.js';

export const AUDIENCES = ['executive', 'engineer'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface RenderOptions {
  /** executive: short and plain; engineer: adds the API evidence and the commands. */
  audience: Audience;
  /** ANSI colour in the terminal summary (the CLI decides: a TTY, and NO_COLOR unset). */
  color: boolean;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = { audience: 'engineer', color: false };

export function parseAudience(value: string): Audience {
  const audience = value.trim().toLowerCase();
  if (!(AUDIENCES as readonly string[]).includes(audience)) {
    throw new UsageError(`unknown audience '${value}'; choose one of: ${AUDIENCES.join(', ')}.`);
  }
  return audience as Audience;
}
