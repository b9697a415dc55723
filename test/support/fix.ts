/** Running `trailcheck fix` against moto the way a user does, and comparing the account before and after. */
import assert from 'node:assert/strict';
import { PlanJsonSchema } from '../../src/remediate/render.js';
import type { PlanJson } from '../../src/remediate/render.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { motoEnv } from './aws.js';
import { runTrailcheck } from './cli.js';
import type { CliResult } from './cli.js';
import type { MotoSuite } from './moto-suite.js';

export const REGIONS = ['--region', 'us-east-1,eu-west-1'];

export interface FixJson {
  mode: 'dry-run' | 'apply';
  plan: PlanJson;
  applied?: Array<{ step: number; operation: string; region: string; status: string; error?: string }>;
  rollback?: Array<{ step: number; status: string; commands: string[]; error?: string }>;
  state?: {
    revertedSteps: number[];
    notReverted: Array<{ step: number; commands: string[]; reason: string }>;
    kept: Array<{ step: number; note: string; commands: string[] }>;
    neverRun: number[];
  };
  verdicts?: Array<{ control: string; before: string; after: string }>;
  writes?: Array<{ operation: string; region: string; failed: boolean }>;
  exitCode: number;
}

export async function trailcheckOnMoto(
  suite: MotoSuite,
  args: string[],
  credentials?: { accessKeyId: string; secretAccessKey: string },
  timeoutMs = 120_000,
): Promise<CliResult> {
  return runTrailcheck(args, motoEnv(suite.moto, credentials), timeoutMs);
}

/** `trailcheck fix --format json …` with its JSON report parsed (and the plan checked against its schema). */
export async function fixJson(
  suite: MotoSuite,
  args: string[],
  credentials?: { accessKeyId: string; secretAccessKey: string },
): Promise<{ result: CliResult; report: FixJson }> {
  const result = await trailcheckOnMoto(suite, ['fix', ...REGIONS, '--format', 'json', ...args], credentials);
  let report: FixJson;
  try {
    report = JSON.parse(result.stdout) as FixJson;
  } catch {
    assert.fail(`fix printed no JSON (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
  }
  PlanJsonSchema.parse(report.plan);
  return { result, report };
}

/**
 * The account as evidence, without what changes on every read (times, durations, call counts); with
 * `before`, also without the KMS keys made since (see below).
 */
export function comparable(snapshot: Snapshot, before?: Snapshot): unknown {
  const copy = structuredClone(snapshot) as Partial<Snapshot> & Record<string, unknown>;
  delete copy.startedAt;
  delete copy.finishedAt;
  delete copy.stats;
  for (const trail of copy.cloudtrail?.trails ?? []) {
    if (trail.status?.ok) {
      for (const key of Object.keys(trail.status.value))
        if (key.endsWith('Time')) delete (trail.status.value as Record<string, unknown>)[key];
    }
  }
  // A KMS key a rolled-back run made is kept by design (log files may be encrypted with it; see the
  // undo of kms:CreateKey): compared with `before`, it is the one trace a rollback leaves.
  if (before && copy.keyRotation) {
    const known = new Set(before.keyRotation?.keys.map((k) => k.KeyArn));
    const counts = new Map(
      before.keyRotation?.listings.map((l) => [l.region, l.result.ok ? l.result.value.KeyCount : 0]),
    );
    copy.keyRotation = {
      listings: copy.keyRotation.listings.map((l) =>
        l.result.ok
          ? {
              ...l,
              result: { ...l.result, value: { ...l.result.value, KeyCount: counts.get(l.region) ?? 0 } },
            }
          : l,
      ),
      keys: copy.keyRotation.keys.filter((k) => known.has(k.KeyArn)),
    };
  }
  return copy;
}

/** Paths where two values differ, for a readable assertion message. */
export function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return [`${path}: ${JSON.stringify(a)?.slice(0, 200)} → ${JSON.stringify(b)?.slice(0, 200)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
  );
}
