import { renderPlanCloudFormation } from '../../remediate/cloudformation.js';
import { renderPlanCli, renderPlanJson, renderPlanMarkdown } from '../../remediate/render.js';
import { renderPlanTerraform } from '../../remediate/terraform.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { PLAN_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION } from '../options.js';
import { emit } from '../output.js';
import {
  acceptSuppressions,
  gatherEvidence,
  newFactory,
  planWithNames,
  prepare,
  REMEDIATION_OPTIONS,
} from '../remediation.js';

export const PLAN_FORMATS = ['markdown', 'cli', 'terraform', 'cloudformation', 'json'] as const;
type PlanFormat = (typeof PLAN_FORMATS)[number];

const ALIASES: Record<string, PlanFormat> = {
  md: 'markdown',
  sh: 'cli',
  tf: 'terraform',
  cfn: 'cloudformation',
};

function planFormat(value: string | undefined, output: string | undefined): PlanFormat {
  if (value === undefined) {
    const name = output?.toLowerCase() ?? '';
    if (name.endsWith('.sh')) return 'cli';
    if (name.endsWith('.tf')) return 'terraform';
    if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'cloudformation';
    if (name.endsWith('.json')) return 'json';
    return 'markdown';
  }
  const format = value.trim().toLowerCase();
  const resolved = ALIASES[format] ?? format;
  if (!(PLAN_FORMATS as readonly string[]).includes(resolved))
    throw new UsageError(`unknown plan format '${value}'; choose one of: ${PLAN_FORMATS.join(', ')}.`);
  return resolved as PlanFormat;
}

/** Prints the action plan alone, in one of five forms. Read-only: it changes nothing. */

/** The flags of 'trailcheck plan' (shell completion lists them too). */
export const PLAN_OPTIONS = {
  ...REMEDIATION_OPTIONS,
  ...HELP_OPTION,
  format: { type: 'string', short: 'f' },
} as const;

export async function planCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('plan', args, PLAN_OPTIONS, io);
  if (values.help) {
    io.stdout(`${PLAN_HELP}\n`);
    return EXIT.OK;
  }
  const format = planFormat(values.format, values.output);
  const prepared = prepare(values, io);
  await acceptSuppressions(values, prepared, io);
  const snapshot = await gatherEvidence(io, values, prepared);
  const factory = values.snapshot === undefined ? newFactory(prepared) : undefined;
  try {
    const plan = await planWithNames(snapshot, prepared, factory);
    const content =
      format === 'json'
        ? renderPlanJson(plan)
        : format === 'cli'
          ? renderPlanCli(plan)
          : format === 'terraform'
            ? renderPlanTerraform(plan, snapshot)
            : format === 'cloudformation'
              ? renderPlanCloudFormation(plan, snapshot)
              : renderPlanMarkdown(plan);
    await emit(io, content, values.output, `the ${format} plan (${plan.steps.length} steps)`);
    // A plan is output, not a verdict: `plan -o fix.tf && terraform plan` must go on when it has steps.
    return EXIT.OK;
  } finally {
    factory?.destroy();
  }
}
