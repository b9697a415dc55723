/** What a plan action reads as in a finding's remediation: its sentence, its commands, its console steps. */
import type { Remediation } from '../controls/types.js';
import type { Snapshot } from '../snapshot/schema.js';
import { renderCloudFormation } from './cloudformation.js';
import { actionCli, stepsOf } from './plan.js';
import type { Plan, PlanAction } from './plan.js';
import { targetsOf } from './targets.js';
import { renderTerraform } from './terraform.js';

export function remediationView(plan: Plan, action: PlanAction, snapshot: Snapshot): Remediation {
  const remediation: Remediation = {
    summary: action.summary,
    cli: actionCli(plan, action),
    console: action.console,
    ...(action.permissions ? { permissions: action.permissions } : {}),
  };
  if (action.kind === 'apply') {
    const targets = targetsOf(plan, snapshot, stepsOf(plan, action));
    const title = `${action.findings.map((f) => `${f.control} ${f.resourceName}`).join(', ')}: ${action.id}`;
    remediation.terraform = renderTerraform(targets, title);
    remediation.cloudformation = renderCloudFormation(targets, title);
  }
  return remediation;
}
