/**
 * The offline path of `scan --snapshot` (every report format) and `plan --format terraform|cloudformation`,
 * as steps the growth bench times one by one. This is the one place the growth bench calls trailcheck's
 * public API: when the API changes (the plan leaving the Assessment, say), only this file changes.
 */
import {
  assess,
  buildPlan,
  CONTROLS,
  FORMATS,
  makeReport,
  parseSnapshot,
  render,
  serializeSnapshot,
} from '../src/index.js';
import type { Assessment, Format, Plan, Report, Snapshot } from '../src/index.js';
import { renderPlanCloudFormation, renderPlanTerraform } from '../src/index.js';

export type PlanOutput = 'terraform' | 'cloudformation';
export const PLAN_OUTPUTS: readonly PlanOutput[] = ['terraform', 'cloudformation'];

/** `load` (parse and validate, as `--snapshot` does), `judge`, `plan`, then one step per output. */
export type OfflinePhase = 'load' | 'judge' | 'plan' | Format | `plan ${PlanOutput}`;

export interface OfflineStep {
  phase: OfflinePhase;
  /** Runs the step (after the steps before it) and says briefly what it produced. */
  run: () => string;
}

const chars = (text: string) => `${text.length} characters`;

/** The steps, in order; each needs the ones before it. All controls, default options, as `scan` runs. */
export function offlinePath(snapshot: Snapshot): OfflineStep[] {
  // `scan --snapshot` reads the file as text: the same text, parsed and validated the same way.
  const text = serializeSnapshot(snapshot);
  let loaded: Snapshot | undefined;
  let assessment: Assessment | undefined;
  let plan: Plan | undefined;
  let report: Report | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} step has not run`);
    return value;
  };
  return [
    {
      phase: 'load',
      run: () => {
        loaded = parseSnapshot(text, 'growth snapshot');
        return `${loaded.cloudtrail.trails.length} trails, ${loaded.s3.buckets.length} buckets`;
      },
    },
    {
      phase: 'judge',
      run: () => {
        assessment = assess(need(loaded, 'load'), CONTROLS);
        const { summary } = assessment;
        return `${summary.total} findings, ${summary.FAIL} failed, ${summary.UNKNOWN} unknown`;
      },
    },
    {
      phase: 'plan',
      run: () => {
        // Planned once, from the judged findings, as `scan` does.
        const judged = need(assessment, 'judge');
        plan = buildPlan(need(loaded, 'load'), CONTROLS, {}, judged.judged);
        report = makeReport(judged, plan, need(loaded, 'load'));
        return `${plan.actions.length} actions, ${plan.steps.length} API calls`;
      },
    },
    ...FORMATS.map((format): OfflineStep => ({
      phase: format,
      run: () => chars(render(need(report, 'plan'), format)),
    })),
    {
      phase: 'plan terraform',
      run: () => chars(renderPlanTerraform(need(plan, 'plan'), need(loaded, 'load'))),
    },
    {
      phase: 'plan cloudformation',
      run: () => chars(renderPlanCloudFormation(need(plan, 'plan'), need(loaded, 'load'))),
    },
  ];
}
