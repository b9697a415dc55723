/**
 * What a call does to the account, on the evidence snapshot: the planner applies each fix to the snapshot
 * and judges the controls again, to see that it closes the finding, weakens nothing, and what its undo must
 * restore. Resources the snapshot does not describe (roles, aliases, default encryption) are not modelled;
 * their calls change nothing here. The CloudWatch chain (a trail's log group, its metric filters, the
 * alarms on them, their topics' subscriptions) is, where the snapshot holds it. Each operation's effect is
 * in its service's module (src/fixes/services/).
 *
 * Copy on write: a simulated call copies only the records it changes (a trail, a bucket, a key) and the
 * lists that hold them; every other record is shared with the snapshot before it. So a plan of N steps
 * costs N small copies, not N copies of the account, and each step's before and after records can be kept
 * (the Terraform and CloudFormation forms are read from them, never replayed).
 */
import type { Snapshot } from '../snapshot/schema.js';
import type { ApiCall, Json } from '../fixes/calls.js';
import { Draft, resolveInput, simulationCounters } from '../fixes/services/draft.js';
import type { Outputs, SimulatedEffects } from '../fixes/services/draft.js';
import { operationSpec, simulates } from '../fixes/services/registry.js';

export {
  findBucket,
  findKey,
  findRotationKey,
  findTrail,
  newKeyId,
  resolveInput,
  simulationCounters,
} from '../fixes/services/draft.js';
export type { Outputs, SimulatedEffects } from '../fixes/services/draft.js';
export { simulates };

/**
 * The snapshot after the call, the call's (simulated) output, and the records it changed. The given
 * snapshot is not changed, and shares every record the call did not change with the result.
 */
export function simulateCall(
  snapshot: Snapshot,
  call: ApiCall,
  outputs: Outputs,
): { snapshot: Snapshot; output: unknown; effects: SimulatedEffects } {
  const mutation = operationSpec(`${call.service}:${call.operation}`)?.simulate;
  if (!mutation) throw new Error(`cannot simulate ${call.service}:${call.operation}`);
  simulationCounters.calls += 1;
  const draft = new Draft(snapshot);
  const output = mutation(draft, resolveInput(call, outputs), call);
  return { snapshot: draft.snapshot, output, effects: draft.effects() };
}

/** Applies calls in order; returns the final snapshot and every output. */
export function simulateCalls(
  snapshot: Snapshot,
  calls: readonly ApiCall[],
  outputs: Map<string, unknown> = new Map(),
): { snapshot: Snapshot; outputs: Map<string, unknown> } {
  let current = snapshot;
  for (const call of calls) {
    const result = simulateCall(current, call, outputs);
    current = result.snapshot;
    if (call.output) outputs.set(call.output, result.output);
  }
  return { snapshot: current, outputs };
}

/** JSON values from snapshot types (which are JSON already). */
export function asJson(value: unknown): Json {
  return value as Json;
}
