import { collect } from '../../collect/index.js';
import { parseRegionList } from '../../collect/regions.js';
import { readAnySnapshotFile } from '../../snapshot/organization.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { SCAN_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import {
  ACCESS_OPTIONS,
  ASSESS_OPTIONS,
  HELP_OPTION,
  ORGANIZATION_OPTIONS,
  REPORT_OPTIONS,
  SELECTION_OPTIONS,
} from '../options.js';
import { assessOptions, chooseControls } from '../selection.js';
import { organizationSettings, replayOrganization, scanOrganization } from '../organization.js';
import {
  accessOptions,
  assessAndReport,
  collectOrExplain,
  progressDisplay,
  reportSettings,
} from '../output.js';

/**
 * The service replays a stored scan with the day it was judged on here (YYYY-MM-DD), so its suppressions
 * apply as they did then. Not a user setting: the service sets it for the scan it renders.
 */
export const JUDGED_ON_ENV = 'TRAILCHECK_JUDGED_ON';

/** The flags of 'trailcheck scan' (shell completion lists them too). */
export const SCAN_OPTIONS = {
  ...ACCESS_OPTIONS,
  ...ORGANIZATION_OPTIONS,
  'per-account': { type: 'boolean' },
  ...REPORT_OPTIONS,
  ...SELECTION_OPTIONS,
  ...ASSESS_OPTIONS,
  ...HELP_OPTION,
  snapshot: { type: 'string' },
} as const;

export async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('scan', args, SCAN_OPTIONS, io);
  if (values.help) {
    io.stdout(`${SCAN_HELP}\n`);
    return EXIT.OK;
  }
  const selection = chooseControls(values);
  const options = assessOptions(values);
  const controls = selection.controls;
  // Every flag and input file is checked before the first AWS call.
  const settings = await reportSettings(values);
  const judgedOn = io.env[JUDGED_ON_ENV];
  if (judgedOn !== undefined && values.snapshot !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(judgedOn))
    settings.judgedOn = judgedOn;
  if (
    values.snapshot !== undefined &&
    (values.profile !== undefined || values.region !== undefined || values.timeout !== undefined)
  ) {
    throw new UsageError(
      '--snapshot assesses saved evidence, so --profile, --region and --timeout do not apply to it.',
    );
  }
  const organization = organizationSettings(values);
  if (organization && values.snapshot !== undefined)
    throw new UsageError(
      '--snapshot replays saved evidence (an organization snapshot from collect --org too), so --org does not apply to it.',
    );
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  // Checked before any AWS call, so a bad value costs nothing.
  const access = accessOptions(values, io);
  const perAccount = values['per-account'] === true;
  if (organization)
    return scanOrganization(io, organization, access, regions, selection, options, settings, perAccount);
  let snapshot;
  if (values.snapshot !== undefined) {
    const read = await readAnySnapshotFile(values.snapshot);
    if (read.kind === 'organization')
      return replayOrganization(io, read.snapshot, selection, options, settings, perAccount);
    if (perAccount) throw new UsageError('--per-account applies to organization runs and snapshots.');
    snapshot = read.snapshot;
  } else {
    if (perAccount)
      throw new UsageError('--per-account applies to organization runs and snapshots: add --org.');
    const progress = progressDisplay(io);
    try {
      snapshot = await collectOrExplain(
        io,
        () =>
          collect({
            access,
            regions,
            controls,
            ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
          }),
        settings.plan,
      );
    } finally {
      progress.clear();
    }
  }
  return assessAndReport(io, snapshot, selection, options, settings);
}
