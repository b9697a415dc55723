/**
 * The snapshot of an organization: the organization, then each account's own snapshot (or why it has
 * none), one account per line. It is written as accounts complete, so `collect --org` never holds more
 * than a few accounts' evidence, and it stays one JSON document that `scan --snapshot` replays.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { safeJsonStringify } from '../core/escape.js';
import { UsageError } from '../util/errors.js';
import { readUserFile } from '../util/files.js';
import { oneLine } from '../util/text.js';
import { MAX_SNAPSHOT_BYTES, formatZodIssue, parseJsonInput, validateSnapshot } from './io.js';
import { CallFailureSchema } from './schema.js';
import type { CallFailure, Snapshot } from './schema.js';

export const ORGANIZATION_SNAPSHOT_FORMAT = 'trailcheck-organization-snapshot';
export const ORGANIZATION_SNAPSHOT_VERSION = 1;
/** A thousand accounts' evidence fits many times over; a string longer than this is not a snapshot. */
export const MAX_ORGANIZATION_SNAPSHOT_BYTES = 512 * 1024 * 1024;

const shortText = z.string().max(1024);

export const OrganizationInfoSchema = z.strictObject({
  Id: shortText,
  MasterAccountId: shortText,
  Arn: shortText.optional(),
  MasterAccountName: shortText.optional(),
});

export const OrganizationAccountSchema = z.strictObject({
  Id: shortText,
  Name: shortText,
  Status: shortText,
  Email: shortText.optional(),
});

const HeaderSchema = z.strictObject({
  format: z.literal(ORGANIZATION_SNAPSHOT_FORMAT),
  version: z.literal(ORGANIZATION_SNAPSHOT_VERSION),
  tool: z.strictObject({ name: shortText, version: shortText }),
  startedAt: shortText,
  finishedAt: shortText.optional(),
  organization: OrganizationInfoSchema,
  caller: z.strictObject({ Account: shortText, Arn: shortText, Partition: shortText }),
  /** Accounts of the organization the filters left out. */
  leftOut: z.number().int().nonnegative(),
  /** The management account's entry is there for its organization trails only, not to be reported. */
  managementForContextOnly: z.boolean(),
  accounts: z.array(z.unknown()).max(100_000),
});

const FailedOutcomeSchema = z.strictObject({
  ok: z.literal(false),
  stage: z.enum(['suspended', 'assume-role', 'collect']),
  reason: z.string().max(4096),
  failure: CallFailureSchema.optional(),
});

const EntrySchema = z.strictObject({
  account: OrganizationAccountSchema,
  outcome: z.union([z.strictObject({ ok: z.literal(true), snapshot: z.unknown() }), FailedOutcomeSchema]),
});

export type OrganizationInfo = z.infer<typeof OrganizationInfoSchema>;
export type OrganizationAccount = z.infer<typeof OrganizationAccountSchema>;

export type StoredOutcome =
  | { ok: true; snapshot: Snapshot }
  | { ok: false; stage: 'suspended' | 'assume-role' | 'collect'; reason: string; failure?: CallFailure };

export interface OrganizationSnapshotHeader {
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt?: string;
  organization: OrganizationInfo;
  caller: { Account: string; Arn: string; Partition: string };
  leftOut: number;
  managementForContextOnly: boolean;
}

export interface OrganizationSnapshot extends OrganizationSnapshotHeader {
  /** Each account's entry, validated as it is read (the management account first). */
  entries: () => Generator<{ account: OrganizationAccount; outcome: StoredOutcome }>;
  /** How many accounts the file holds. */
  size: number;
}

/** True when parsed JSON is an organization snapshot (rather than one account's). */
export function isOrganizationSnapshot(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { format?: unknown }).format === ORGANIZATION_SNAPSHOT_FORMAT
  );
}

export function validateOrganizationSnapshot(data: unknown, label: string): OrganizationSnapshot {
  const record = data as { version?: unknown };
  if (record.version !== ORGANIZATION_SNAPSHOT_VERSION)
    throw new UsageError(
      `${label} is a version ${oneLine(String(JSON.stringify(record.version)), 40)} organization snapshot; this trailcheck reads version ${ORGANIZATION_SNAPSHOT_VERSION}. Collect it again with this version.`,
    );
  const parsed = HeaderSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(formatZodIssue(label, parsed.error));
  const { accounts, format: _format, version: _version, ...header } = parsed.data;
  void _format;
  void _version;
  // Checked whole before anything is judged, so a broken entry never leaves half a report.
  const checked = accounts.map((raw, index) => {
    const entry = EntrySchema.safeParse(raw);
    if (!entry.success) throw new UsageError(formatZodIssue(`${label}, accounts[${index}]`, entry.error));
    return entry.data;
  });
  return {
    ...header,
    size: checked.length,
    entries: function* () {
      for (const [index, entry] of checked.entries()) {
        const outcome: StoredOutcome = entry.outcome.ok
          ? {
              ok: true,
              snapshot: validateSnapshot(
                entry.outcome.snapshot,
                `${label}, account ${entry.account.Id} (accounts[${index}])`,
              ),
            }
          : entry.outcome;
        yield { account: entry.account, outcome };
      }
    },
  };
}

export async function readOrganizationSnapshotText(path: string): Promise<string> {
  return readUserFile(path, 'snapshot', MAX_ORGANIZATION_SNAPSHOT_BYTES);
}

export function parseOrganizationSnapshot(text: string, label: string): OrganizationSnapshot {
  const data = parseJsonInput(text.replace(/^\uFEFF/, ''), label);
  return validateOrganizationSnapshot(data, label);
}

/** One account's line of an organization snapshot ({account, outcome}), as the writer writes it. */
export function organizationEntryLine(account: OrganizationAccount, outcome: StoredOutcome): string {
  return safeJsonStringify({ account, outcome }, 0);
}

function headerText(header: OrganizationSnapshotHeader): string {
  const { finishedAt: _finished, ...rest } = header;
  void _finished;
  const head = safeJsonStringify(
    { format: ORGANIZATION_SNAPSHOT_FORMAT, version: ORGANIZATION_SNAPSHOT_VERSION, ...rest, accounts: [] },
    0,
  );
  // `"accounts":[]}` is the end of the header object: the entries are written inside the brackets.
  return `${head.slice(0, -'[]}'.length)}[\n`;
}

function closingText(finishedAt: string): string {
  return `\n],\n"finishedAt":${JSON.stringify(finishedAt)}}\n`;
}

/**
 * An organization snapshot assembled from its header and each account's line (management account
 * first), byte for byte what `OrganizationSnapshotWriter` writes: a queue that collects accounts in
 * separate jobs produces the snapshot `collect --org` would.
 */
export function organizationSnapshotText(
  header: OrganizationSnapshotHeader,
  lines: readonly string[],
  finishedAt: string,
): string {
  return `${headerText(header)}${lines.join(',\n')}${closingText(finishedAt)}`;
}

/**
 * Writes an organization snapshot as accounts complete: to a temporary file beside the target, renamed
 * into place only when every account is in, so an interrupted run never leaves half a snapshot.
 */
export class OrganizationSnapshotWriter {
  private handle: FileHandle | undefined;
  private count = 0;

  private constructor(
    private readonly target: string,
    private readonly temp: string,
  ) {}

  /**
   * `created` is told of the writer before its temporary file exists: a signal that arrives while the
   * file is being opened can then still discard it.
   */
  static async open(
    path: string,
    header: OrganizationSnapshotHeader,
    created?: (writer: OrganizationSnapshotWriter) => void,
  ): Promise<OrganizationSnapshotWriter> {
    const target = resolve(path);
    const dir = dirname(target);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory())
      throw new UsageError(`cannot write ${path}: the directory ${dir} does not exist.`);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const writer = new OrganizationSnapshotWriter(target, temp);
    created?.(writer);
    try {
      writer.handle = await open(temp, 'w');
    } catch (error) {
      throw new UsageError(`cannot write ${path} (${(error as { code?: string }).code ?? String(error)}).`);
    }
    await writer.write(headerText(header));
    return writer;
  }

  private async write(text: string): Promise<void> {
    if (!this.handle) throw new Error('organization snapshot written after it was closed');
    await this.handle.write(text);
  }

  async add(account: OrganizationAccount, outcome: StoredOutcome): Promise<void> {
    const line = organizationEntryLine(account, outcome);
    await this.write(`${this.count === 0 ? '' : ',\n'}${line}`);
    this.count += 1;
  }

  async finish(finishedAt: string): Promise<void> {
    await this.write(closingText(finishedAt));
    const handle = this.handle;
    this.handle = undefined;
    await handle?.sync();
    await handle?.close();
    await rename(this.temp, this.target);
  }

  /** At once, from a signal handler: the half-written file goes, the target stays as it was. */
  discardNow(): void {
    rmSync(this.temp, { force: true });
  }

  /** Leaves nothing behind (an interrupted or failed run). */
  async abandon(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}

/** A snapshot file of either kind: one account's (`collect`) or an organization's (`collect --org`). */
export async function readAnySnapshotFile(
  path: string,
): Promise<
  { kind: 'account'; snapshot: Snapshot } | { kind: 'organization'; snapshot: OrganizationSnapshot }
> {
  const text = await readUserFile(path, 'snapshot', MAX_ORGANIZATION_SNAPSHOT_BYTES);
  const label = `snapshot ${oneLine(path, 300)}`;
  if (text.length > MAX_SNAPSHOT_BYTES && !text.includes(ORGANIZATION_SNAPSHOT_FORMAT))
    throw new UsageError(
      `${label} is ${text.length} bytes, more than the ${MAX_SNAPSHOT_BYTES}-byte limit; is it the right file?`,
    );
  const data = parseJsonInput(text.replace(/^\uFEFF/, ''), label);
  if (isOrganizationSnapshot(data))
    return { kind: 'organization', snapshot: validateOrganizationSnapshot(data, label) };
  return { kind: 'account', snapshot: validateSnapshot(data, label) };
}
