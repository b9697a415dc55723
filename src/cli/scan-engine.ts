/**
 * The service's way to assess (ScanEngine): `trailcheck collect` then `trailcheck scan --snapshot`, run
 * in-process on files in a private temporary folder. The service thus judges, refuses bad input and
 * reports exactly as the CLI does, and keeps the snapshot each verdict came from.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineResult, OrganizationPlan, RenderedReport, ScanEngine } from '../service/engine.js';
import {
  collectOrganizationAccount,
  listOrganizationRun,
  managementAccount,
  organizationAccess,
} from '../collect/organization.js';
import { organizationEntryLine } from '../snapshot/organization.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { ScanRequest } from '../service/request.js';
import { requestFlags, selectionFlags } from '../service/request.js';
import { FORMAT_SPECS, FORMATS, parseFormat } from '../report/index.js';
import type { JsonReport } from '../report/json.js';
import { EXIT, UserError } from '../util/errors.js';
import { parseRegionList } from '../collect/regions.js';
import { COLLECT_OPTIONS, collectCommand } from './commands/collect.js';
import { JUDGED_ON_ENV, scanCommand } from './commands/scan.js';
import { parseCommandLine } from './config.js';
import { organizationSettings } from './organization.js';
import { chooseControls } from './selection.js';
import { accessOptions } from './output.js';
import type { CliIO } from './io.js';

const CONTENT_TYPES: Record<string, string> = {
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  junit: 'application/xml; charset=utf-8',
};

const COMMANDS = { collect: collectCommand, scan: scanCommand };

/**
 * Runs `trailcheck collect` or `scan` in-process: what it said on standard error and its exit code. A
 * user error is its one line, as the CLI prints it; anything else is a bug and propagates as one.
 */
async function run(
  [command, ...args]: ['collect' | 'scan', ...string[]],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIO = {
    stdout: () => {},
    stderr: (text) => {
      stderr += text;
    },
    env,
  };
  try {
    return { code: await COMMANDS[command](args, io), stderr };
  } catch (error) {
    if (error instanceof UserError) return { code: error.exitCode, stderr: `${stderr}${error.message}\n` };
    throw error;
  }
}

/** The CLI's own message, without its "trailcheck: " prefix: the one line the API and dashboard show. */
function message(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^trailcheck: /, '').trim())
    .filter((l) => l !== '' && !l.startsWith('wrote '));
  return lines.at(-1) ?? 'the scan stopped without saying why';
}

async function withFolder<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-scan-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function cliScanEngine(env: NodeJS.ProcessEnv = process.env): ScanEngine {
  const judge = async (
    dir: string,
    snapshotFile: string,
    request: ScanRequest,
    suppressions: string,
    format: string,
    judgedOn?: string,
  ): Promise<string> => {
    const out = join(dir, `report${FORMAT_SPECS[parseFormat(format)].extension}`);
    const args: ['scan', ...string[]] = [
      'scan',
      `--snapshot=${snapshotFile}`,
      ...selectionFlags(request),
      `--format=${format}`,
    ];
    args.push(`--output=${out}`);
    if (suppressions !== '') {
      const file = join(dir, 'suppressions.json');
      await writeFile(file, suppressions);
      args.push(`--ignore=${file}`);
    }
    const { code, stderr } = await run(args, judgedOn ? { ...env, [JUDGED_ON_ENV]: judgedOn } : env);
    // 0 and 1 are verdicts (1: something fails); anything else means no report was written.
    if (code !== EXIT.OK && code !== EXIT.FINDINGS) throw new UserError(message(stderr), code);
    return readFile(out, 'utf8');
  };

  /** What an organization request asks to collect, read as `trailcheck collect --org` reads its flags. */
  const organizationRun = async (request: ScanRequest) => {
    const io: CliIO = { stdout: () => {}, stderr: () => {}, env };
    const values = await parseCommandLine('collect', requestFlags(request), COLLECT_OPTIONS, io);
    const { controls } = chooseControls(values);
    const regions = values.region !== undefined ? parseRegionList(values.region) : null;
    const settings = organizationSettings(values);
    if (!settings) throw new UserError('this scan does not assess an organization.', EXIT.USAGE);
    return { controls, regions, settings, access: accessOptions(values, io) };
  };

  const judged = (snapshot: string, request: ScanRequest, suppressions: string) =>
    withFolder(async (dir): Promise<EngineResult> => {
      const startedAt = new Date().toISOString();
      const snapshotFile = join(dir, 'snapshot.json');
      await writeFile(snapshotFile, snapshot);
      const json = await judge(dir, snapshotFile, request, suppressions, 'json');
      return { report: JSON.parse(json) as JsonReport, snapshot, startedAt };
    });

  return {
    formats: FORMATS,
    judge: judged,
    async planOrganization(request): Promise<OrganizationPlan> {
      const { controls, regions, settings, access } = await organizationRun(request);
      const startedAt = new Date().toISOString();
      const { listing, from } = await listOrganizationRun({
        access,
        filter: settings.filter,
        member: settings.member,
      });
      const management = managementAccount(listing);
      const { outcome } = await collectOrganizationAccount(management, { from, regions, controls });
      return {
        header: {
          tool: { name: TOOL_NAME, version: TOOL_VERSION },
          startedAt,
          organization: listing.organization,
          caller: listing.caller,
          leftOut: listing.leftOut,
          managementForContextOnly: listing.managementForContextOnly,
        },
        management: { account: management, line: organizationEntryLine(management, outcome) },
        members: listing.accounts.filter((a) => a.Id !== management.Id),
      };
    },
    async collectMember(request, header, account): Promise<string> {
      const { controls, regions, settings, access } = await organizationRun(request);
      const { from } = await organizationAccess(access, settings.member, header.caller);
      const { outcome } = await collectOrganizationAccount(account, {
        from: { ...from, caller: header.caller },
        regions,
        controls,
      });
      return organizationEntryLine(account, outcome);
    },
    async check(request) {
      // The checks `trailcheck collect` makes of its flags before its first AWS call.
      const io: CliIO = { stdout: () => {}, stderr: () => {}, env };
      const values = await parseCommandLine('collect', requestFlags(request), COLLECT_OPTIONS, io);
      chooseControls(values);
      if (values.region !== undefined) parseRegionList(values.region);
      organizationSettings(values);
    },
    async scan(request, suppressions): Promise<EngineResult> {
      return withFolder(async (dir) => {
        const startedAt = new Date().toISOString();
        const snapshotFile = join(dir, 'snapshot.json');
        const collected = await run(['collect', ...requestFlags(request), `--output=${snapshotFile}`], env);
        if (collected.code !== EXIT.OK) throw new UserError(message(collected.stderr), collected.code);
        const json = await judge(dir, snapshotFile, request, suppressions, 'json');
        const snapshot = await readFile(snapshotFile, 'utf8');
        return { report: JSON.parse(json) as JsonReport, snapshot, startedAt };
      });
    },
    async render(snapshot, request, suppressions, format, judgedOn): Promise<RenderedReport> {
      const resolved = parseFormat(format);
      return withFolder(async (dir) => {
        const snapshotFile = join(dir, 'snapshot.json');
        await writeFile(snapshotFile, snapshot);
        const body = await judge(dir, snapshotFile, request, suppressions, resolved, judgedOn);
        return {
          body,
          contentType: CONTENT_TYPES[resolved] ?? 'application/json; charset=utf-8',
          fileName: `trailcheck${FORMAT_SPECS[resolved].extension}`,
        };
      });
    },
  };
}
