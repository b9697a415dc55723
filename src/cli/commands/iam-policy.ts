import { fixPolicy, scanPolicy } from '../../remediate/permissions.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { IAM_POLICY_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { ASSESS_OPTIONS, HELP_OPTION, OUTPUT_OPTIONS, SELECTION_OPTIONS } from '../options.js';
import { emit } from '../output.js';
import { chooseControls } from '../selection.js';

/** Prints the least-privilege IAM policy a scan or a fix of the chosen controls needs. */

/** The flags of 'trailcheck iam-policy' (shell completion lists them too). */
export const IAM_POLICY_OPTIONS = {
  ...SELECTION_OPTIONS,
  framework: ASSESS_OPTIONS.framework,
  output: OUTPUT_OPTIONS.output,
  for: { type: 'string' },
  ...HELP_OPTION,
} as const;

export async function iamPolicyCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('iam-policy', args, IAM_POLICY_OPTIONS, io);
  if (values.help) {
    io.stdout(`${IAM_POLICY_HELP}\n`);
    return EXIT.OK;
  }
  const purpose = values.for?.trim().toLowerCase();
  if (purpose !== 'scan' && purpose !== 'fix')
    throw new UsageError(
      "iam-policy needs --for scan or --for fix, e.g. 'trailcheck iam-policy --for scan'.",
    );
  const { controls } = chooseControls(values);
  const policy = purpose === 'scan' ? scanPolicy(controls) : fixPolicy(controls);
  await emit(io, `${JSON.stringify(policy, null, 2)}\n`, values.output, `the IAM policy for ${purpose}`);
  return EXIT.OK;
}
