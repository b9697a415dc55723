/**
 * Every step of a fix has an undo, computed from the evidence of how things were before it: the old
 * values, the old policy text, the old grants. What a run created it may remove again (an empty bucket, a
 * trail, a role); a KMS key or a log group it created it keeps (data may already be encrypted with it or
 * delivered to it) and says so. A step whose before-state trailcheck could not read gets no undo, and the
 * planner leaves it to the user.
 */
export { NoUndo } from '../fixes/services/types.js';
export type { Created, Undo } from '../fixes/services/types.js';
export { createdBy, undoFor } from '../fixes/services/registry.js';
