/** What a plan action reads as in a finding's remediation: its sentence, its commands, its console steps. */
import type { Remediation } from '../controls/types.js';
import { actionCli } from './plan.js';
import type { Plan, PlanAction } from './plan.js';

export function remediationView(plan: Plan, action: PlanAction): Remediation {
  return {
    summary: action.summary,
    cli: actionCli(plan, action),
    console: action.console,
    ...(action.permissions ? { permissions: action.permissions } : {}),
  };
}
