/** What a plan action reads as in a finding's remediation: its sentence, its commands, its console steps. */
import type { Remediation } from '../controls/types.js';
import type { Snapshot } from '../snapshot/schema.js';
import { renderCloudFormation } from './cloudformation.js';
import { actionCli, stepsOf } from './plan.js';
import type { Plan, PlanAction } from './plan.js';
import { targetsOf } from './targets.js';
import { renderTerraform } from './terraform.js';

/** The action's sentence, commands and console steps (cheap: every report shows them). */
export function remediationView(plan: Plan, action: PlanAction): Remediation {
  return {
    summary: action.summary,
    cli: actionCli(plan, action),
    console: action.console,
    ...(action.permissions ? { permissions: action.permissions } : {}),
  };
}

/**
 * The same change as Terraform and CloudFormation, for an action trailcheck applies. Only the formats that
 * show it ask for it (JSON), so the others do not pay for it.
 */
export function fixAsCode(
  plan: Plan,
  action: PlanAction,
  snapshot: Snapshot,
): { terraform: string; cloudformation: string } | undefined {
  if (action.kind !== 'apply') return undefined;
  const targets = targetsOf(plan, snapshot, stepsOf(plan, action));
  const title = `${action.findings.map((f) => `${f.control} ${f.resourceName}`).join(', ')}: ${action.id}`;
  return { terraform: renderTerraform(targets, title), cloudformation: renderCloudFormation(targets, title) };
}
