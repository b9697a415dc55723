/**
 * An organization scan cut into jobs (PostgreSQL with pg-boss): the coordinator's listing, and each
 * account's line of the organization snapshot as its job stores it. The last account in (decided in a
 * transaction that holds the run's row) assembles the snapshot; until then nothing of the scan is
 * visible but its "running" status.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import type { OrganizationAccount, OrganizationSnapshotHeader } from '../../snapshot/organization.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export interface OrganizationRun {
  header: OrganizationSnapshotHeader;
  members: OrganizationAccount[];
  /** Members whose line is not stored yet. */
  pending: OrganizationAccount[];
}

export class OrganizationRuns {
  private readonly db: Kysely<Database>;
  private readonly postgres: boolean;

  constructor(store: Pick<Store, 'db' | 'kind'>) {
    this.db = store.db;
    this.postgres = store.kind === 'postgres';
  }

  /**
   * Records a run's listing and its management account's line, once: false when the scan was planned
   * already (a coordinator job run again after its worker died), whose stored listing then stands.
   */
  async plan(
    scanId: string,
    header: OrganizationSnapshotHeader,
    management: { account: OrganizationAccount; line: string },
    members: readonly OrganizationAccount[],
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('organization_runs')
        .select('scan_id')
        .where('scan_id', '=', scanId)
        .executeTakeFirst();
      if (existing) return false;
      await trx
        .insertInto('organization_runs')
        .values({
          scan_id: scanId,
          header: JSON.stringify(header),
          members: JSON.stringify(members),
          created_at: new Date().toISOString(),
        })
        .execute();
      await trx.deleteFrom('account_jobs').where('scan_id', '=', scanId).execute();
      const rows = [
        {
          scan_id: scanId,
          account_id: management.account.Id,
          position: 0,
          entry: gzipSync(management.line),
        },
        ...members.map((account, index) => ({
          scan_id: scanId,
          account_id: account.Id,
          position: index + 1,
          entry: null,
        })),
      ];
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('account_jobs')
          .values(rows.slice(i, i + 500))
          .execute();
      return true;
    });
  }

  async get(scanId: string): Promise<OrganizationRun | undefined> {
    const run = await this.db
      .selectFrom('organization_runs')
      .selectAll()
      .where('scan_id', '=', scanId)
      .executeTakeFirst();
    if (!run) return undefined;
    const members = JSON.parse(run.members) as OrganizationAccount[];
    const waiting = await this.db
      .selectFrom('account_jobs')
      .select('account_id')
      .where('scan_id', '=', scanId)
      .where('entry', 'is', null)
      .execute();
    const pending = new Set(waiting.map((r) => r.account_id));
    return {
      header: JSON.parse(run.header) as OrganizationSnapshotHeader,
      members,
      pending: members.filter((m) => pending.has(m.Id)),
    };
  }

  /** Holds the run's row to the end of the transaction, so two accounts finishing at once count in turn. */
  private async lock(trx: Transaction<Database>, scanId: string): Promise<void> {
    let query = trx.selectFrom('organization_runs').select('scan_id').where('scan_id', '=', scanId);
    if (this.postgres) query = query.forUpdate();
    await query.executeTakeFirst();
  }

  /**
   * Stores one account's line (the first line stored for it stands: a job run twice changes nothing) and
   * says how many accounts are still missing, counted while no other account can be stored.
   */
  async record(scanId: string, accountId: string, line: string): Promise<{ remaining: number }> {
    const entry = gzipSync(line);
    return this.db.transaction().execute(async (trx) => {
      await this.lock(trx, scanId);
      await trx
        .updateTable('account_jobs')
        .set({ entry })
        .where('scan_id', '=', scanId)
        .where('account_id', '=', accountId)
        .where('entry', 'is', null)
        .execute();
      const row = await trx
        .selectFrom('account_jobs')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('scan_id', '=', scanId)
        .where('entry', 'is', null)
        .executeTakeFirstOrThrow();
      return { remaining: Number(row.n) };
    });
  }

  /** Every account's line in the listing's order (the management account first); undefined while one is missing. */
  async lines(scanId: string): Promise<string[] | undefined> {
    const rows = await this.db
      .selectFrom('account_jobs')
      .select(['entry', 'position'])
      .where('scan_id', '=', scanId)
      .orderBy('position')
      .execute();
    if (rows.length === 0 || rows.some((r) => r.entry === null)) return undefined;
    return rows.map((r) => gunzipSync(r.entry as Uint8Array).toString('utf8'));
  }
}
