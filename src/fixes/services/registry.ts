/**
 * Every write operation trailcheck knows, by `service:Operation`, from the services' own modules. The
 * planner, the simulation, the undo, the name probe, `iam-policy` and the declarative forms ask here
 * instead of each keeping a switch of their own.
 */
import { iamActionFor } from '../../aws/permissions.js';
import type { ApiCall, Service } from '../../core/api-call.js';
import { CLOUDTRAIL } from './cloudtrail.js';
import { CLOUDWATCH } from './cloudwatch.js';
import { CONFIG } from './config.js';
import { EC2 } from './ec2.js';
import { IAM } from './iam.js';
import { KMS } from './kms.js';
import { LOGS } from './logs.js';
import { S3 } from './s3.js';
import { SNS } from './sns.js';
import type { Created, NameRequest, OperationSpec, ServiceOperations, TargetContext, Undo } from './types.js';
import { NoUndo } from './types.js';
import type { Snapshot } from '../../snapshot/schema.js';

const BY_SERVICE: Partial<Record<Service, ServiceOperations>> = {
  cloudtrail: CLOUDTRAIL,
  s3: S3,
  kms: KMS,
  logs: LOGS,
  iam: IAM,
  cloudwatch: CLOUDWATCH,
  sns: SNS,
  ec2: EC2,
  config: CONFIG,
};

/** What trailcheck knows of an operation (`cloudtrail:UpdateTrail`), or undefined. */
export function operationSpec(operation: string): OperationSpec | undefined {
  const [service = '', name = ''] = operation.split(':');
  const operations = BY_SERVICE[service as Service];
  return operations && Object.hasOwn(operations, name) ? operations[name] : undefined;
}

const specOf = (call: Pick<ApiCall, 'service' | 'operation'>) =>
  operationSpec(`${call.service}:${call.operation}`);

/** Whether the simulation knows the operation (the planner sends no other). */
export function simulates(operation: string): boolean {
  return operationSpec(operation)?.simulate !== undefined;
}

/** The resources a call creates, as `Created` keys. */
export function createdBy(call: ApiCall): string[] {
  return specOf(call)?.creates?.(call) ?? [];
}

/** The whole document a call replaces (a later call for it supersedes an earlier one), if any. */
export function documentKey(call: ApiCall): string | undefined {
  return specOf(call)?.document?.(call);
}

/** The undo of a call, from the snapshot just before it. */
export function undoFor(call: ApiCall, before: Snapshot, created: Created): Undo | NoUndo {
  const undo = specOf(call)?.undo;
  if (!undo) return new NoUndo(`trailcheck has no undo for ${call.service}:${call.operation}`);
  return undo(call, before, created);
}

/** The names a list of calls creates. */
export function namesCreated(calls: readonly ApiCall[]): NameRequest[] {
  return calls.flatMap((call) => specOf(call)?.names?.(call) ?? []);
}

/** The IAM action a call needs. */
export function iamActionOf(call: Pick<ApiCall, 'service' | 'operation'>): string {
  return (
    specOf(call)?.iamAction ??
    iamActionFor(call.service, call.operation) ??
    `${call.service}:${call.operation}`
  );
}

/** Adds a call's part to the declarative forms' targets. */
export function addTarget(call: ApiCall, context: TargetContext): void {
  specOf(call)?.target?.(call, context);
}
