/**
 * What every report format renders: the verdicts (judged once), the plan (built once from them, after
 * the suppressions), and each open finding's next step read from the plan. The expensive views (the
 * Terraform and CloudFormation of one finding's fix) are made only when a format asks for them.
 */
import { findingIdentity } from '../core/identity.js';
import type { ControlDefinition, ControlStatus, Finding, Status } from '../controls/types.js';
import type { OrganizationInfo } from '../snapshot/organization.js';
import { assess } from '../judge/assess.js';
import type { Assessment } from '../judge/assess.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import { buildPlan, findingKey } from '../remediate/plan.js';
import type { Plan } from '../remediate/plan.js';
import { fixAsCode, remediationView } from '../remediate/views.js';
import type { Snapshot } from '../snapshot/schema.js';

export interface Report extends Assessment {
  plan: Plan;
  /** The place (1-based) in the plan of the action about a finding, if it has one. */
  planOrder: (finding: Finding) => number | undefined;
  /** The fix of a finding as Terraform and CloudFormation, when trailcheck applies it (made on demand). */
  fixAsCode: (finding: Finding) => { terraform: string; cloudformation: string } | undefined;
  /** Present when the report covers an organization (`scan --org`): each account's status and summary. */
  organization?: OrganizationView;
}

export interface AccountView {
  id: string;
  name: string;
  email?: string;
  /** false: no evidence (suspended, role not assumed, scan failed); every control is UNKNOWN. */
  assessed: boolean;
  /** Why it was not assessed. */
  reason?: string;
  summary: Record<Status, number> & { total: number };
  /** 0 all passed, 1 something failed or is unknown (suppressed findings aside). */
  integerResult: 0 | 1;
  /** Each selected control's outcome in this account, by control id. */
  controls: Record<string, ControlStatus>;
  /** The account's own report (without its evidence): `--output-dir` can write it alone. */
  report: Report;
}

export interface OrganizationView {
  info: OrganizationInfo;
  /** In account id order. */
  accounts: AccountView[];
  /** Accounts of the organization that the filters left out. */
  leftOut: number;
}

/**
 * The report of an assessment and its plan: each finding the plan fixes gets the plan's next step as its
 * remediation; the others keep the one their control gave.
 */
export function makeReport(assessment: Assessment, plan: Plan, snapshot: Snapshot | undefined): Report {
  const actions = new Map(plan.actions.map((a) => [a.id, a]));
  const order = new Map<string, number>();
  plan.actions.forEach((action, index) => {
    for (const r of action.findings) {
      const key = findingIdentity(null, {
        control: r.control,
        resource: { id: r.resourceId, name: r.resourceName, region: r.region },
      });
      if (!order.has(key)) order.set(key, index + 1);
    }
  });
  const actionOf = (f: Finding) => actions.get(plan.fixedBy.get(findingKey(f)) ?? '');
  const withSteps = new Map<Finding, Finding>();
  for (const finding of assessment.findings) {
    const action = actionOf(finding);
    if (action) withSteps.set(finding, { ...finding, remediation: remediationView(plan, action) });
  }
  const swap = (f: Finding) => withSteps.get(f) ?? f;
  const code = new Map<string, { terraform: string; cloudformation: string } | undefined>();
  return {
    ...assessment,
    results: assessment.results.map((r) => ({ ...r, findings: r.findings.map(swap) })),
    findings: assessment.findings.map(swap),
    plan,
    planOrder: (f) => order.get(findingIdentity(null, f)),
    fixAsCode: (f) => {
      const action = actionOf(f);
      if (!action || !snapshot) return undefined;
      if (!code.has(action.id)) code.set(action.id, fixAsCode(plan, action, snapshot));
      return code.get(action.id);
    },
  };
}

/**
 * The whole offline path in its three passes: judge the snapshot once, mark what the user accepted
 * (`accept`, e.g. a suppression file), plan once for what is left, and make the report.
 */
export function reportOf(
  snapshot: Snapshot,
  controls: readonly ControlDefinition[],
  options: AssessOptions & { framework?: Framework } = {},
  accept?: (assessment: Assessment) => Assessment,
): Report {
  const judged = assess(snapshot, controls, options);
  const assessment = accept ? accept(judged) : judged;
  const accepted = options.remediation?.accepted ?? ((f: Finding) => f.suppressed);
  const plan = buildPlan(
    snapshot,
    controls,
    { ...options, remediation: { ...options.remediation, accepted } },
    assessment.judged,
  );
  return makeReport(assessment, plan, snapshot);
}
