import { renderPlanCloudFormation } from '../../remediate/cloudformation.js';
import { renderPlanCli, renderPlanJson, renderPlanMarkdown } from '../../remediate/render.js';
import { renderPlanTerraform } from '../../remediate/terraform.js';
import { planToJson } from '../../remediate/render.js';
import { readAnySnapshotFile } from '../../snapshot/organization.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { CannotRunError, EXIT, UsageError } from '../../util/errors.js';
import { PLAN_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION, ORGANIZATION_OPTIONS } from '../options.js';
import {
  accountLabel,
  accountOrder,
  namedAccounts,
  organizationSource,
  planOrganization,
} from '../organization-remediation.js';
import type { AccountPlan, OrganizationSource } from '../organization-remediation.js';
import { emit } from '../output.js';
import {
  acceptSuppressions,
  gatherEvidence,
  newFactory,
  planWithNames,
  prepare,
  REMEDIATION_OPTIONS,
} from '../remediation.js';
import type { Prepared } from '../remediation.js';

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
  ...ORGANIZATION_OPTIONS,
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
  const read = values.snapshot !== undefined ? await readAnySnapshotFile(values.snapshot) : undefined;
  const source = organizationSource(values, read);
  if (source) return planOrganizationCommand(io, prepared, source, format, values.output);
  const snapshot: Snapshot =
    read?.kind === 'account' ? read.snapshot : await gatherEvidence(io, values, prepared);
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

/** A bash line that runs a section only with the account's own credentials, and says so otherwise. */
function accountGuard(account: string): string {
  return `if [ "$(aws sts get-caller-identity --query Account --output text)" = "${account}" ]; then`;
}

/** Each account's plan in its own section, the management account first. */
function renderOrganizationPlans(
  organization: string,
  accounts: readonly AccountPlan[],
  format: 'markdown' | 'cli' | 'json',
): string {
  if (format === 'json')
    return `${JSON.stringify(
      {
        organization,
        accounts: accounts.map((a) => ({
          account: a.account.Id,
          name: a.account.Name,
          plan: a.planned ? planToJson(a.planned.plan) : null,
          ...(a.reason !== undefined ? { reason: a.reason } : {}),
        })),
      },
      null,
      2,
    )}\n`;
  if (format === 'cli') {
    const out = [
      '#!/usr/bin/env bash',
      `# trailcheck action plans for organization ${organization}: one section per account.`,
      "# Each section runs only with that account's own credentials (it checks them first and skips",
      '# otherwise): run the script once per account, with the credentials its header names.',
      'set -euo pipefail',
    ];
    for (const a of accounts) {
      out.push('', `# ==== Account ${accountLabel(a.account)} ====`.replace(/\n/g, ' '));
      out.push(`# Run with ${a.credentials}.`.replace(/\n/g, ' '));
      if (!a.planned) {
        out.push(`# Not assessed, so nothing is planned: ${a.reason ?? ''}`.replace(/\n/g, ' '));
        continue;
      }
      // The one-account script without its shebang and options: they are given once, above.
      const body = renderPlanCli(a.planned.plan)
        .trimEnd()
        .split('\n')
        .filter((line) => line !== '#!/usr/bin/env bash' && line !== 'set -euo pipefail');
      if (a.planned.plan.steps.length === 0) {
        out.push(...body.filter((line) => line !== ''));
        continue;
      }
      out.push(
        accountGuard(a.account.Id),
        // Not indented: a command's quoted JSON may span lines, and its text must stay as planned.
        ...body,
        'else',
        `  echo "trailcheck: skipping account ${a.account.Id}: these credentials are not that account's." >&2`,
        'fi',
      );
    }
    return `${out.join('\n')}\n`;
  }
  const out = [`# Action plans – organization ${organization}`, ''];
  out.push(
    `${accounts.length} ${accounts.length === 1 ? 'account' : 'accounts'}, each planned on its own findings; an organization trail's fixes are in the management account's section. Run each section with that account's credentials.`,
    '',
  );
  for (const a of accounts) {
    out.push(`## Account ${accountLabel(a.account)}`, '', `Run with ${a.credentials}.`, '');
    if (a.planned) out.push(renderPlanMarkdown(a.planned.plan).trimEnd(), '');
    else out.push(`Not assessed, so nothing is planned: ${a.reason ?? ''}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** `plan --org`, or `plan --snapshot ORGANIZATION-SNAPSHOT`: one plan per account. */
async function planOrganizationCommand(
  io: CliIO,
  prepared: Prepared,
  source: OrganizationSource,
  format: PlanFormat,
  output: string | undefined,
): Promise<number> {
  const declarative = format === 'terraform' || format === 'cloudformation';
  const named = namedAccounts(source);
  // A Terraform configuration or a stack is applied with one account's credentials: one account at a time.
  if (declarative && named?.length !== 1)
    throw new UsageError(
      `a ${format} plan is applied with one account's credentials: with --org, name exactly one account with --accounts ID.`,
    );
  const accounts: AccountPlan[] = [];
  const run = await planOrganization(prepared, source, (planned) => {
    accounts.push(planned);
  });
  accounts.sort(accountOrder);
  const organization = run.organization.Id;
  let content: string;
  if (declarative) {
    const only = accounts[0];
    if (!only?.planned)
      throw new CannotRunError(
        `account ${named?.[0] ?? ''} could not be read, so there is nothing to plan: ${only?.reason ?? 'it is not in the organization'}`,
      );
    content =
      format === 'terraform'
        ? renderPlanTerraform(only.planned.plan, only.planned.snapshot)
        : renderPlanCloudFormation(only.planned.plan, only.planned.snapshot);
  } else content = renderOrganizationPlans(organization, accounts, format);
  const steps = accounts.reduce((sum, a) => sum + (a.planned?.plan.steps.length ?? 0), 0);
  await emit(
    io,
    content,
    output,
    `the ${format} plans of organization ${organization} (${accounts.length} accounts, ${steps} steps)`,
  );
  return EXIT.OK;
}
