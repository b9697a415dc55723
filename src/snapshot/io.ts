import type { z } from 'zod';
import { safeJsonStringify } from '../core/escape.js';
import { UsageError } from '../util/errors.js';
import { oneLine } from '../util/text.js';
import { readUserFile, writeFileAtomic } from '../util/files.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotSchema } from './schema.js';
import type { Snapshot } from './schema.js';

/** Generous for any real account, small enough that a wrong or hostile file is refused before parsing. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/** `$.a.b[0].c` style path of a zod issue, for error lines a user can act on. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  // A key comes from the file: printable and short, however hostile.
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${oneLine(String(key), 60)}`;
  return out === '' ? 'the top level' : out.slice(1);
}

function jsonErrorLocation(text: string, message: string): string {
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})`;
}

/** Parses JSON that a user handed in, reporting where it is broken. */
export function parseJsonInput(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The parser quotes the broken text: keep it printable and short.
    throw new UsageError(`${label} is not valid JSON: ${oneLine(jsonErrorLocation(text, message), 300)}.`);
  }
}

export function formatZodIssue(label: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${label} is malformed.`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  // zod quotes unknown keys from the file in its message.
  return `${label} is malformed at ${issuePath(issue.path)}: ${oneLine(issue.message, 300)}${more}.`;
}

/** Validates a parsed snapshot; every problem becomes one line naming the file and the place. */
export function validateSnapshot(data: unknown, label: string): Snapshot {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${label} is not a trailcheck snapshot: expected a JSON object.`);
  }
  const record = data as Record<string, unknown>;
  if (record.format !== SNAPSHOT_FORMAT) {
    throw new UsageError(
      `${label} is not a trailcheck snapshot (no "format": "${SNAPSHOT_FORMAT}"); make one with 'trailcheck collect --output FILE'.`,
    );
  }
  if (record.version !== SNAPSHOT_VERSION) {
    throw new UsageError(
      `${label} is a version ${oneLine(String(JSON.stringify(record.version)), 40)} snapshot; this trailcheck reads version ${SNAPSHOT_VERSION}. Collect it again with this version.`,
    );
  }
  const parsed = SnapshotSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(formatZodIssue(label, parsed.error));
  const snapshot = parsed.data;
  const seen = new Set<string>();
  for (const [index, trail] of snapshot.cloudtrail.trails.entries()) {
    if (seen.has(trail.config.TrailARN)) {
      throw new UsageError(
        `${label} is malformed at cloudtrail.trails[${index}]: trail ${trail.config.TrailARN} appears twice.`,
      );
    }
    seen.add(trail.config.TrailARN);
  }
  return snapshot;
}

export function parseSnapshot(text: string, label: string): Snapshot {
  // Editors on Windows save UTF-8 with a byte order mark; it is not part of the JSON.
  return validateSnapshot(parseJsonInput(text.replace(/^\uFEFF/, ''), label), label);
}

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  const text = await readUserFile(path, 'snapshot', MAX_SNAPSHOT_BYTES);
  return parseSnapshot(text, `snapshot ${oneLine(path, 300)}`);
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return `${safeJsonStringify(snapshot)}\n`;
}

export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  await writeFileAtomic(path, serializeSnapshot(snapshot));
}
