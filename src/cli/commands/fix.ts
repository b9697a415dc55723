import { isWriteOperation } from '../../fixes/calls.js';
import { rollbackCommand } from './rollback.js';
import { planToJson, renderDryRun } from '../../remediate/render.js';
import { assess } from '../../judge/assess.js';
import type { Finding } from '../../controls/types.js';
import { CannotRunError, EXIT, UsageError } from '../../util/errors.js';
import { FIX_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import { applyToAccount, readLine } from '../fix-apply.js';
import type { FixReport } from '../fix-apply.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION, ORGANIZATION_OPTIONS } from '../options.js';
import { organizationSource } from '../organization-remediation.js';
import { readAnySnapshotFile } from '../../snapshot/organization.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { fixOrganization } from './fix-organization.js';
import { emit } from '../output.js';
import {
  acceptSuppressions,
  gatherEvidence,
  newFactory,
  planWithNames,
  prepare,
  REMEDIATION_OPTIONS,
} from '../remediation.js';

/** The flags of 'trailcheck fix' (shell completion lists them too). */
export const FIX_OPTIONS = {
  ...REMEDIATION_OPTIONS,
  ...ORGANIZATION_OPTIONS,
  ...HELP_OPTION,
  apply: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  format: { type: 'string', short: 'f' },
  journal: { type: 'string' },
  rollback: { type: 'string' },
} as const;

export async function fixCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('fix', args, FIX_OPTIONS, io);
  if (values.help) {
    io.stdout(`${FIX_HELP}\n`);
    return EXIT.OK;
  }
  const format = (values.format ?? 'text').trim().toLowerCase();
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`unknown format '${values.format}' for fix; choose text or json.`);
  if (values.rollback !== undefined) {
    const others = Object.keys(values).filter(
      (k) => !['rollback', 'profile', 'timeout', 'format', 'output'].includes(k),
    );
    if (others.length > 0)
      throw new UsageError(
        `--rollback undoes what its journal records and takes only --profile, --timeout, --format and -o, not --${others[0]}.`,
      );
    return rollbackCommand(values.rollback, { ...values, format }, io);
  }
  if (values.journal !== undefined && values.apply !== true)
    throw new UsageError('--journal names the record of the changes --apply makes; give --apply too.');
  const apply = values.apply === true;
  if (!apply && values.yes)
    throw new UsageError('--yes answers the question --apply asks; give --apply too.');
  if (apply && values.snapshot !== undefined)
    throw new UsageError(
      '--apply changes the account as it is now, so it collects fresh evidence; --snapshot is for the dry run only.',
    );
  if (apply && !values.yes && io.stdinIsTTY !== true)
    throw new UsageError(
      '--apply asks for confirmation on a terminal; without one, give --yes to apply without asking.',
    );
  const prepared = prepare(values, io);
  await acceptSuppressions(values, prepared, io);
  const read = values.snapshot !== undefined ? await readAnySnapshotFile(values.snapshot) : undefined;
  const source = organizationSource(values, read);
  if (source) {
    if (values.journal !== undefined)
      throw new UsageError(
        "--journal names one account's record; with --org each account gets its own, named by its id.",
      );
    return fixOrganization(io, prepared, source, {
      apply,
      yes: values.yes === true,
      format: format === 'json' ? 'json' : 'text',
      output: values.output,
    });
  }
  const snapshot: Snapshot =
    read?.kind === 'account' ? read.snapshot : await gatherEvidence(io, values, prepared);
  const factory = values.snapshot === undefined ? newFactory(prepared) : undefined;
  try {
    const before = assess(snapshot, prepared.selection.controls, prepared.options);
    const plan = await planWithNames(snapshot, prepared, factory, before);
    // A finding accepted with --ignore is neither fixed nor counted against the run, as in scan.
    const accepted = prepared.options.remediation?.accepted;
    const isAccepted = (f: Finding): boolean => accepted?.(f) !== undefined;
    const open = before.findings.some((f) => f.status !== 'PASS' && !isAccepted(f));
    const report: FixReport = { mode: apply ? 'apply' : 'dry-run', plan: planToJson(plan), exitCode: 0 };
    const text: string[] = [renderDryRun(plan, snapshot.scope.regions, apply).trimEnd()];

    const finish = async (exitCode: number): Promise<number> => {
      report.exitCode = exitCode;
      if (factory) report.writes = factory.callLog.journal().filter((c) => isWriteOperation(c.operation));
      const content = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n')}\n`;
      await emit(io, content, values.output, 'the fix report');
      return exitCode;
    };

    if (!apply || plan.steps.length === 0) {
      if (apply) text.push('', 'Nothing to change: no step to apply.');
      return finish(open ? EXIT.FINDINGS : EXIT.OK);
    }
    if (!factory) throw new UsageError('--apply needs live AWS access.');
    if (plan.warnings.length > 0)
      throw new CannotRunError(
        `the plan is not consistent (${plan.warnings.join('; ')}), so nothing was changed; this is a bug in trailcheck, please report it.`,
      );

    if (!values.yes) {
      io.stderr(
        `${text.join('\n')}\n\nApply these ${plan.steps.length} changes to account ${plan.account}? Type yes to go on: `,
      );
      const answer = await readLine(io.stdin as NodeJS.ReadableStream);
      if (!/^y(es)?$/i.test(answer.trim())) {
        text.push('', 'Nothing was changed (not confirmed).');
        return finish(EXIT.FINDINGS);
      }
    }

    return finish(
      await applyToAccount(
        io,
        {
          plan,
          before,
          factory,
          journalPath: values.journal,
          freshEvidence: (affected) =>
            gatherEvidence(io, { ...values, snapshot: undefined }, prepared, affected),
        },
        prepared,
        text,
        report,
      ),
    );
  } finally {
    factory?.destroy();
  }
}
