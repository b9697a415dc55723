import {
  ORGANIZATION_ACCESS_ROLE,
  RECOMMENDED_AUDIT_ROLE,
  parseAccountId,
  parseExternalId,
  parseRoleName,
} from '../../aws/member-role.js';
import type { ControlDefinition } from '../../controls/types.js';
import { auditRoleTemplateWithCommands, orgPolicies } from '../../remediate/org-permissions.js';
import type { OrgAccessOptions } from '../../remediate/org-permissions.js';
import { fixPolicy, scanPolicy } from '../../remediate/permissions.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { oneLine } from '../../util/text.js';
import { IAM_POLICY_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { ASSESS_OPTIONS, HELP_OPTION, OUTPUT_OPTIONS, SELECTION_OPTIONS } from '../options.js';
import { emit } from '../output.js';
import { chooseControls } from '../selection.js';

/** Prints the least-privilege IAM policy a scan or a fix of the chosen controls needs, or an organization's. */

/** The flags only `--for org` takes. */
const ORG_OPTIONS = {
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  'management-account': { type: 'string' },
  // Its own object, not the report setting: a config file's report format must not reach this command.
  format: { type: 'string', short: 'f' },
} as const;

/** The flags of 'trailcheck iam-policy' (shell completion lists them too). */
export const IAM_POLICY_OPTIONS = {
  ...SELECTION_OPTIONS,
  framework: ASSESS_OPTIONS.framework,
  output: OUTPUT_OPTIONS.output,
  for: { type: 'string' },
  ...ORG_OPTIONS,
  ...HELP_OPTION,
} as const;

export const ORG_POLICY_FORMATS = ['json', 'cloudformation'] as const;

type OrgFlags = { [K in keyof typeof ORG_OPTIONS]?: string };

function orgAccessOptions(values: OrgFlags): OrgAccessOptions {
  const options: OrgAccessOptions = {
    roleName: parseRoleName(values['role-name'] ?? RECOMMENDED_AUDIT_ROLE),
  };
  if (values['external-id'] !== undefined) options.externalId = parseExternalId(values['external-id']);
  if (values['management-account'] !== undefined)
    options.managementAccountId = parseAccountId(values['management-account'], '--management-account');
  return options;
}

async function orgPolicyOutput(
  io: CliIO,
  values: OrgFlags & { output?: string },
  controls: readonly ControlDefinition[],
): Promise<void> {
  const format = values.format?.trim().toLowerCase() ?? 'json';
  if (format !== 'json' && format !== 'cloudformation')
    throw new UsageError(
      `iam-policy --for org prints json or cloudformation (not '${oneLine(values.format ?? '', 40)}'), e.g. --format cloudformation.`,
    );
  const access = orgAccessOptions(values);
  if (format === 'json') {
    const policies = orgPolicies(controls, access);
    await emit(io, `${JSON.stringify(policies, null, 2)}\n`, values.output, 'the IAM policies for org');
    if (policies.stackSetTemplate === undefined)
      io.stderr(
        `trailcheck: ${ORGANIZATION_ACCESS_ROLE} is the administrator role Organizations creates, so there is no template for it; --role-name ${RECOMMENDED_AUDIT_ROLE} gives a read-only one.\n`,
      );
    return;
  }
  if (access.roleName === ORGANIZATION_ACCESS_ROLE)
    throw new UsageError(
      `${ORGANIZATION_ACCESS_ROLE} exists already in the accounts Organizations created, as an administrator; name a read-only role to create, e.g. --role-name ${RECOMMENDED_AUDIT_ROLE}.`,
    );
  await emit(
    io,
    auditRoleTemplateWithCommands(controls, access),
    values.output,
    `the StackSet template of ${access.roleName}`,
  );
}

export async function iamPolicyCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('iam-policy', args, IAM_POLICY_OPTIONS, io);
  if (values.help) {
    io.stdout(`${IAM_POLICY_HELP}\n`);
    return EXIT.OK;
  }
  const purpose = values.for?.trim().toLowerCase();
  if (purpose !== 'scan' && purpose !== 'fix' && purpose !== 'org')
    throw new UsageError(
      "iam-policy needs --for scan, --for fix or --for org, e.g. 'trailcheck iam-policy --for scan'.",
    );
  if (purpose !== 'org') {
    const orgOnly = Object.keys(ORG_OPTIONS).find((flag) => values[flag as keyof OrgFlags] !== undefined);
    if (orgOnly !== undefined)
      throw new UsageError(
        `--${orgOnly} is for 'iam-policy --for org'; --for ${purpose} prints one JSON policy.`,
      );
  }
  const { controls } = chooseControls(values);
  if (purpose === 'org') {
    await orgPolicyOutput(io, values, controls);
    return EXIT.OK;
  }
  const policy = purpose === 'scan' ? scanPolicy(controls) : fixPolicy(controls);
  await emit(io, `${JSON.stringify(policy, null, 2)}\n`, values.output, `the IAM policy for ${purpose}`);
  return EXIT.OK;
}
