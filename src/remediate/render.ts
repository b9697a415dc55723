/**
 * The plan for people and machines: the dry run (every call with its parameters and its undo), the
 * Markdown action plan, a shell script of the AWS CLI commands, and the JSON contract (`PlanJsonSchema`).
 */
import { z } from 'zod';
import { markdownCode, markdownFence, markdownText, terminalSafe } from '../core/escape.js';
import { richToMarkdown, richToTerminal } from '../core/render-rich.js';
import { plain, plural } from '../core/rich.js';
import { SEVERITIES } from '../controls/types.js';
import type { ApiCall } from '../fixes/calls.js';
import { isRef, operationName } from '../fixes/calls.js';
import type { Plan, PlanAction, PlanStep } from './plan.js';
import { actionCli, planCli } from './plan.js';

export const PLAN_JSON_VERSION = 1;

const CallSchema = z.object({
  service: z.string(),
  operation: z.string(),
  region: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: z.string().optional(),
});

const STATUS = z.enum(['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE']);

export const PlanJsonSchema = z.object({
  planVersion: z.literal(PLAN_JSON_VERSION),
  account: z.string(),
  partition: z.string(),
  /** Each chosen control: its status now, and on a simulation of the account after every step. */
  expected: z.array(z.object({ control: z.string(), before: STATUS, after: STATUS })),
  actions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['apply', 'manual']),
      controls: z.array(z.string()),
      severity: z.enum(SEVERITIES),
      effort: z.enum(['low', 'medium', 'high']),
      summary: z.string(),
      why: z.string(),
      console: z.array(z.string()),
      notes: z.array(z.string()),
      findings: z.array(
        z.object({
          control: z.string(),
          status: z.enum(['PASS', 'FAIL', 'UNKNOWN']),
          severity: z.enum(SEVERITIES),
          resourceId: z.string(),
          resourceName: z.string(),
          region: z.string(),
        }),
      ),
      steps: z.array(z.number().int().positive()),
      dependsOn: z.array(z.string()),
      cli: z.array(z.string()),
      reason: z.string().optional(),
      permissions: z.array(z.string()).optional(),
    }),
  ),
  steps: z.array(
    CallSchema.extend({
      number: z.number().int().positive(),
      actions: z.array(z.string()),
      cli: z.string(),
      undo: z.object({
        kind: z.enum(['revert', 'remove', 'none', 'keep']),
        exact: z.boolean(),
        note: z.string(),
        calls: z.array(CallSchema),
        manual: z.array(CallSchema).optional(),
      }),
    }),
  ),
  warnings: z.array(z.string()),
  /** Findings a live `--ignore` entry accepts: not planned. */
  accepted: z.array(
    z.object({
      control: z.string(),
      status: z.enum(['FAIL', 'UNKNOWN']),
      severity: z.enum(SEVERITIES),
      resourceId: z.string(),
      resourceName: z.string(),
      region: z.string(),
      reason: z.string(),
      expires: z.string(),
      source: z.string(),
    }),
  ),
  /** Findings another account's plan fixes (a member's coverage, on the organization trail). */
  deferred: z
    .array(
      z.object({
        control: z.string(),
        severity: z.enum(SEVERITIES),
        resourceId: z.string(),
        resourceName: z.string(),
        region: z.string(),
      }),
    )
    .optional(),
});

export type PlanJson = z.infer<typeof PlanJsonSchema>;

const callJson = (call: ApiCall) => ({
  service: call.service,
  operation: call.operation,
  region: call.region,
  input: call.input as Record<string, unknown>,
  ...(call.output ? { output: call.output } : {}),
});

export function planToJson(plan: Plan): PlanJson {
  const commands = planCli(plan);
  return {
    planVersion: PLAN_JSON_VERSION,
    account: plan.account,
    partition: plan.partition,
    expected: plan.expected,
    actions: plan.actions.map((action) => ({
      id: action.id,
      kind: action.kind,
      controls: action.controls,
      severity: action.severity,
      effort: action.effort,
      summary: plain(action.summary),
      why: action.why,
      console: action.console,
      notes: action.notes,
      findings: action.findings,
      steps: action.steps,
      dependsOn: action.dependsOn,
      cli: actionCli(plan, action),
      ...(action.reason !== undefined ? { reason: action.reason } : {}),
      ...(action.permissions ? { permissions: action.permissions } : {}),
    })),
    steps: plan.steps.map((step, index) => ({
      number: step.number,
      ...callJson(step.call),
      actions: step.actions,
      cli: commands[index] ?? '',
      undo: {
        kind: step.undo.kind,
        exact: step.undo.exact,
        note: step.undo.note,
        calls: step.undo.calls.map(callJson),
        ...(step.undo.manual ? { manual: step.undo.manual.map(callJson) } : {}),
      },
    })),
    warnings: plan.warnings,
    accepted: plan.accepted.map((a) => ({ ...a, status: a.status === 'UNKNOWN' ? 'UNKNOWN' : 'FAIL' })),
    ...(plan.deferred
      ? {
          deferred: plan.deferred.map((d) => ({
            control: d.control,
            severity: d.severity,
            resourceId: d.resourceId,
            resourceName: d.resourceName,
            region: d.region,
          })),
        }
      : {}),
  };
}

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}

/** `{"Name":"Main","KmsKeyId":<newKey.KeyMetadata.Arn>}`: the parameters as sent, refs named. */
export function inputText(call: ApiCall): string {
  const parts = Object.entries(call.input).map(
    ([key, value]) => `${JSON.stringify(key)}:${isRef(value) ? `<${value.$ref}>` : JSON.stringify(value)}`,
  );
  return `{${parts.join(',')}}`;
}

function undoText(step: PlanStep): string {
  const { undo } = step;
  const calls = undo.calls.map((c) => `${operationName(c)} ${inputText(c)}`).join('; then ');
  switch (undo.kind) {
    case 'revert':
    case 'remove':
      return `${calls} (${undo.note}${undo.exact ? '' : '; not exactly as before'})`;
    case 'keep':
      return `none: ${undo.note}`;
    default:
      return `nothing to undo: ${undo.note}`;
  }
}

const STATUS_WORD: Record<string, string> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  UNKNOWN: 'UNKNOWN',
  NOT_APPLICABLE: 'n/a',
};

export function expectationLine(plan: Plan): string {
  const changes = plan.expected.filter((e) => e.before !== e.after);
  if (changes.length === 0) return 'No control changes its verdict.';
  return changes.map((e) => `${e.control} ${STATUS_WORD[e.before]} → ${STATUS_WORD[e.after]}`).join(', ');
}

function findingsText(action: PlanAction): string {
  return action.findings.map((f) => `${f.control} ${f.resourceName}`).join(', ');
}

/** "us-east-1", "1 Region", "20 Regions". */
function regionsText(regions: readonly string[]): string {
  return regions.length <= 3 && regions.length > 0
    ? regions.join(', ')
    : `${regions.length} ${plural(regions.length, 'Region')}`;
}

/**
 * The plan for people: every call in order with its parameters and its undo; then what is left to the
 * user. `applying`: the header says what is about to be applied, not that nothing changes.
 */
export function renderDryRun(plan: Plan, regions: readonly string[], applying = false): string {
  const out: string[] = [];
  const apply = plan.actions.filter((a) => a.kind === 'apply');
  const manual = plan.actions.filter((a) => a.kind === 'manual');
  out.push(
    applying
      ? `trailcheck fix – applying to account ${plan.account} (${regionsText(regions)}): the calls below, in this order.`
      : `trailcheck fix – dry run for account ${plan.account} (${regionsText(regions)}). Nothing is changed without --apply.`,
    '',
  );
  if (apply.length === 0) {
    out.push('Nothing for trailcheck to change.');
  } else {
    out.push(
      `${apply.length} ${apply.length === 1 ? 'action' : 'actions'}, ${plan.steps.length} API ${plan.steps.length === 1 ? 'call' : 'calls'}, in this order. Expected: ${expectationLine(plan)}`,
    );
    const commands = planCli(plan);
    for (const [index, action] of apply.entries()) {
      out.push(
        '',
        `${index + 1}. ${richToTerminal(action.summary)}`,
        `   Fixes ${terminalSafe(findingsText(action))} · severity ${action.severity} · effort ${action.effort}${action.dependsOn.length > 0 ? ` · after ${terminalSafe(action.dependsOn.join(', '))}` : ''}`,
      );
      for (const note of action.notes) out.push(`   Note: ${terminalSafe(note)}`);
      for (const number of action.steps) {
        const step = plan.steps[number - 1];
        if (!step) continue;
        const shared = step.actions.length > 1 && step.actions[0] !== action.id;
        out.push(
          `   Step ${number}${shared ? ` (shared with ${terminalSafe(step.actions[0] ?? '')})` : ''}: ${operationName(step.call)} in ${step.call.region}`,
          `      parameters: ${terminalSafe(inputText(step.call))}`,
          `      undo: ${terminalSafe(undoText(step))}`,
          `      $ ${terminalSafe(commands[number - 1] ?? '')}`,
        );
      }
    }
  }
  if (manual.length > 0) {
    out.push('', 'Left to you (trailcheck fix does not do these):');
    for (const action of manual) {
      out.push(
        `  - ${terminalSafe(findingsText(action))} (${action.severity}): ${richToTerminal(action.summary)}`,
        `    Why not automatic: ${terminalSafe(action.reason ?? '')}.`,
      );
      if (action.permissions?.length)
        out.push(`    Permissions to grant: ${action.permissions.map(terminalSafe).join(', ')}`);
    }
  }
  if (plan.accepted.length > 0) {
    out.push('', 'Accepted with --ignore (left as they are):');
    for (const a of plan.accepted)
      out.push(
        `  - ${terminalSafe(`${a.control} ${a.resourceName}`)} (${a.status}): ${terminalSafe(a.reason)} (until ${terminalSafe(a.expires)}; ${terminalSafe(a.source)})`,
      );
  }
  if (plan.deferred?.length) {
    out.push('', "Fixed on the organization trail, in the management account's plan:");
    for (const d of plan.deferred)
      out.push(`  - ${terminalSafe(`${d.control} ${d.resourceName} (${d.region})`)}`);
  }
  for (const warning of plan.warnings) out.push(`! ${terminalSafe(warning)}`);
  if (apply.length > 0 && !applying)
    out.push(
      '',
      'Run again with --apply to make these changes (it asks first; --yes does not). If a step fails, the steps before it are undone in reverse order.',
    );
  return `${out.join('\n')}\n`;
}

/** The plan as a bash script: the same calls as `trailcheck fix`, in the same order. */
export function renderPlanCli(plan: Plan): string {
  const out = [
    '#!/usr/bin/env bash',
    `# trailcheck action plan for account ${plan.account}: ${plan.steps.length} AWS CLI ${plan.steps.length === 1 ? 'command' : 'commands'}.`,
    '# The same calls `trailcheck fix --apply` makes, in the same order. Read them before you run them;',
    '# unlike `trailcheck fix`, this script does not undo the earlier steps if a later one fails.',
    'set -euo pipefail',
  ];
  const commands = planCli(plan);
  for (const action of plan.actions.filter((a) => a.kind === 'apply')) {
    out.push('', `# ${plain(action.summary)} (${findingsText(action)})`.replace(/\n/g, ' '));
    for (const note of action.notes) out.push(`# Note: ${note}`.replace(/\n/g, ' '));
    for (const number of action.steps) {
      const step = plan.steps[number - 1];
      if (step && step.actions[0] === action.id) out.push(commands[number - 1] ?? '');
      else out.push(`# step ${number} above serves this too`);
    }
  }
  const manual = plan.actions.filter((a) => a.kind === 'manual');
  if (manual.length > 0) {
    out.push('', '# Left to you (not run by this script):');
    for (const action of manual)
      out.push(`#   ${findingsText(action)}: ${plain(action.summary)}`.replace(/\n/g, ' '));
  }
  if (plan.accepted.length > 0) {
    out.push('', '# Accepted with --ignore (left as they are):');
    for (const a of plan.accepted)
      out.push(`#   ${a.control} ${a.resourceName}: ${a.reason} (until ${a.expires})`.replace(/\n/g, ' '));
  }
  if (plan.deferred?.length) {
    out.push('', "# Fixed on the organization trail, in the management account's plan:");
    for (const d of plan.deferred)
      out.push(`#   ${d.control} ${d.resourceName} (${d.region})`.replace(/\n/g, ' '));
  }
  return `${out.join('\n')}\n`;
}

/** The Markdown action plan: ordered steps with the sentence, why, the commands and the console steps. */
export function renderPlanMarkdown(plan: Plan): string {
  const out = [`**Action plan – account ${markdownCode(plan.account)}**`, ''];
  const apply = plan.actions.filter((a) => a.kind === 'apply');
  const manual = plan.actions.filter((a) => a.kind === 'manual');
  out.push(`Expected once applied: ${markdownText(expectationLine(plan))}`, '');
  if (apply.length === 0) out.push('Nothing for `trailcheck fix` to change.', '');
  for (const [index, action] of apply.entries()) {
    out.push(`### ${index + 1}. ${richToMarkdown(action.summary)}`, '');
    out.push(
      `*Fixes:* ${action.findings.map((f) => `${markdownText(f.control)} (${markdownCode(f.resourceName)})`).join(', ')} · *Severity:* ${action.severity} · *Effort:* ${action.effort}${action.dependsOn.length > 0 ? ` · *After:* ${action.dependsOn.map(markdownCode).join(', ')}` : ''}  `,
      `*Why:* ${markdownText(action.why)}`,
      '',
    );
    for (const note of action.notes) out.push(`> ${markdownText(note)}`, '');
    out.push(markdownFence(actionCli(plan, action), 'sh'), '');
    if (action.console.length > 0) {
      out.push('<details><summary>In the console</summary>', '');
      action.console.forEach((step, i) => out.push(`${i + 1}. ${markdownText(step)}`));
      out.push('', '</details>', '');
    }
  }
  if (manual.length > 0) {
    out.push(
      '### Left to you',
      '',
      '| Check | Resource | Next step | Why `trailcheck fix` leaves it |',
      '|---|---|---|---|',
    );
    for (const action of manual) {
      const f = action.findings[0];
      out.push(
        `| ${markdownText(f?.control ?? '')} | ${markdownCode(f?.resourceName ?? '')} | ${richToMarkdown(action.summary)} | ${markdownText(action.reason ?? '')} |`,
      );
    }
    out.push('');
  }
  if (plan.accepted.length > 0) {
    out.push(
      '### Accepted, left as they are',
      '',
      '| Check | Resource | Status | Reason | Until | Accepted in |',
      '|---|---|---|---|---|---|',
    );
    for (const a of plan.accepted)
      out.push(
        `| ${markdownText(a.control)} | ${markdownCode(a.resourceName)} | ${a.status} | ${markdownText(a.reason)} | ${markdownText(a.expires)} | ${markdownText(a.source)} |`,
      );
    out.push('');
  }
  if (plan.deferred?.length) {
    out.push("### Fixed on the organization trail, in the management account's plan", '');
    for (const d of plan.deferred)
      out.push(`- ${markdownText(d.control)} ${markdownCode(d.resourceName)} (${markdownText(d.region)})`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
