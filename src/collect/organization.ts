/**
 * An AWS Organization, account by account: list the accounts (limited to organizational units or named
 * accounts if asked), then collect each one with the same controls and Regions, the caller's own account
 * with the caller's credentials and every other through a role assumed in it. Accounts are handed to
 * `onAccount` as each completes and are not kept, so a run of a thousand accounts holds a handful of
 * snapshots at a time.
 */
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import type { Account } from '@aws-sdk/client-organizations';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsClientFactory, resolveControlRegion } from '../aws/clients.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import { describeFailure, explainFailure } from '../aws/errors.js';
import type { CallFailure } from '../aws/errors.js';
import {
  ORGANIZATION_ACCESS_ROLE,
  parseAccountId,
  parseExternalId,
  parseRoleName,
} from '../aws/member-role.js';
import { assertProfileExists, profileInUse } from '../aws/profiles.js';
import type { OrganizationAccount, OrganizationInfo, StoredOutcome } from '../snapshot/organization.js';
import { mapLimit } from '../util/concurrency.js';
import { CannotRunError, UsageError, UserError } from '../util/errors.js';
import { collect } from './index.js';
import type { CollectOptions } from './index.js';
import { getCallerIdentity } from './identity.js';
import type { CallerIdentity } from './identity.js';

/** The role trailcheck assumes in each member unless told otherwise: the one Organizations creates. */
export const DEFAULT_MEMBER_ROLE = ORGANIZATION_ACCESS_ROLE;
/** Accounts collected at once unless told otherwise: each account keeps its own per-endpoint limits. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 8;
export const MAX_ACCOUNT_CONCURRENCY = 64;
/** A role session lasts an hour; credentials are renewed five minutes before they run out. */
const SESSION_SECONDS = 3600;
const RENEW_BEFORE_MS = 5 * 60_000;

export interface OrganizationFilter {
  /** Organizational units (or the root, r-…): their accounts and those of every unit below them. */
  ous?: readonly string[];
  /** Only these accounts. */
  accounts?: readonly string[];
  /** Never these accounts. */
  excludeAccounts?: readonly string[];
}

export interface MemberAccess {
  /** The role assumed in every account but the caller's own. */
  roleName: string;
  externalId?: string;
}

/**
 * What one account gave: its snapshot, or why it could not be assessed (`suspended`: not tried;
 * `assume-role`: its role could not be assumed; `collect`: the scan failed). Stored as it is.
 */
export type AccountOutcome = StoredOutcome;

export interface OrganizationCollectOptions extends Omit<CollectOptions, 'onProgress'> {
  access?: AwsAccessOptions;
  filter?: OrganizationFilter;
  member: MemberAccess;
  /** Accounts collected at once. */
  concurrency?: number;
  /** Told once the accounts are known, before any is collected. */
  onListed?: (listing: OrganizationListing) => void | Promise<void>;
  /**
   * Each account as it completes (the management account first: its organization trails are the context
   * the others are judged in). Awaited, so a slow consumer holds the next accounts back.
   */
  onAccount: (
    account: OrganizationAccount,
    outcome: AccountOutcome,
    /** The credentials the account was read with: what a fix in that account must use too. */
    access: AwsAccessOptions,
  ) => void | Promise<void>;
}

export interface OrganizationListing {
  organization: OrganizationInfo;
  caller: CallerIdentity;
  /** The accounts to assess, by id. */
  accounts: OrganizationAccount[];
  /** Accounts of the organization the filters left out. */
  leftOut: number;
  /** Whether the management account is collected for its organization trails only (filtered out). */
  managementForContextOnly: boolean;
}

/** Organizations has one endpoint per partition. */
export function organizationsRegion(partition: string): string {
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  if (partition === 'aws-cn') return 'cn-northwest-1';
  return 'us-east-1';
}

const OU_ID = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;

/** Checks account ids and unit ids given on the command line before any call. */
export function checkFilter(filter: OrganizationFilter): void {
  for (const id of filter.accounts ?? []) parseAccountId(id, '--accounts');
  for (const id of filter.excludeAccounts ?? []) parseAccountId(id, '--exclude-accounts');
  for (const id of filter.ous ?? []) {
    if (!OU_ID.test(id))
      throw new UsageError(
        `--ou: '${id}' is not an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx); 'aws organizations list-roots' and 'list-organizational-units-for-parent' show them.`,
      );
  }
}

export function checkMemberAccess(member: MemberAccess): void {
  parseRoleName(member.roleName);
  if (member.externalId !== undefined) parseExternalId(member.externalId);
}

/**
 * Credentials assumed once and shared by every client of an account, assumed again shortly before they
 * expire (a long organization run outlives an hour's session) or after a failed attempt.
 */
export function renewingCredentials(
  assume: () => Promise<AwsCredentialIdentity>,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const held = current ? await current.catch(() => undefined) : undefined;
    const expiring = held?.expiration !== undefined && held.expiration.getTime() - now() < RENEW_BEFORE_MS;
    if (!current || !held || expiring) current = assume();
    return current;
  };
}

/** Credentials of a role, assumed once and renewed shortly before they expire, shared by all clients. */
function roleCredentials(
  roleArn: string,
  member: MemberAccess,
  base: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  region: string,
  endpoint: string | undefined,
): AwsCredentialIdentityProvider {
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: roleArn,
      RoleSessionName: 'trailcheck',
      DurationSeconds: SESSION_SECONDS,
      ...(member.externalId !== undefined ? { ExternalId: member.externalId } : {}),
    },
    masterCredentials: base,
    clientConfig: { region, ...(endpoint !== undefined ? { endpoint } : {}) },
  });
  return renewingCredentials(assume);
}

function asAccount(a: Account): OrganizationAccount | undefined {
  if (!a.Id) return undefined;
  return {
    Id: a.Id,
    Name: a.Name ?? a.Id,
    Status: a.Status ?? 'UNKNOWN',
    ...(a.Email ? { Email: a.Email } : {}),
  };
}

function organizationsError(
  error: unknown,
  operation: string,
  region: string,
  caller: CallerIdentity,
): never {
  if (error instanceof UserError) throw error;
  const failure = describeFailure(error, 'organizations', operation, region);
  if (failure.code === 'AWSOrganizationsNotInUseException')
    throw new CannotRunError(
      `account ${caller.Account} is not in an AWS Organization, so there is nothing for --org to list; scan it without --org.`,
    );
  if (failure.kind === 'access-denied')
    throw new CannotRunError(
      `${caller.Arn} may not list the organization (${failure.code} on organizations:${operation}): run --org with the management account's or a delegated administrator's credentials; 'trailcheck iam-policy --for org' prints the policy it needs.`,
    );
  throw new CannotRunError(`cannot list the organization's accounts: ${explainFailure(failure)}.`);
}

/** Every page of a paginated Organizations listing. */
async function allPages<T>(
  first: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100_000; page += 1) {
    const answer = await first(token);
    items.push(...answer.items);
    token = answer.next;
    if (!token) break;
  }
  return items;
}

/** The accounts of the organization that the filters keep, and the organization itself. */
export async function listOrganization(
  factory: AwsClientFactory,
  caller: CallerIdentity,
  filter: OrganizationFilter,
): Promise<Omit<OrganizationListing, 'caller'>> {
  const region = organizationsRegion(caller.Partition);
  const client = factory.organizations(region);
  let operation = 'DescribeOrganization';
  try {
    const described = await client.send(new DescribeOrganizationCommand({}));
    const org = described.Organization;
    if (!org?.Id || !org.MasterAccountId)
      throw new CannotRunError('Organizations answered DescribeOrganization without an organization id.');
    operation = 'ListAccounts';
    const all = await allPages(async (NextToken) => {
      const out = await client.send(new ListAccountsCommand({ NextToken }));
      return { items: out.Accounts ?? [], next: out.NextToken };
    });
    const accounts = all.map(asAccount).filter((a): a is OrganizationAccount => a !== undefined);
    const known = new Map(accounts.map((a) => [a.Id, a]));

    let chosen = accounts;
    if (filter.ous && filter.ous.length > 0) {
      operation = 'ListRoots';
      const roots = await client.send(new ListRootsCommand({}));
      const rootIds = new Set((roots.Roots ?? []).map((r) => r.Id));
      const under = new Set<string>();
      const visit = async (parent: string): Promise<void> => {
        operation = 'ListAccountsForParent';
        const members = await allPages(async (NextToken) => {
          const out = await client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken }));
          return { items: out.Accounts ?? [], next: out.NextToken };
        });
        for (const m of members) if (m.Id) under.add(m.Id);
        operation = 'ListOrganizationalUnitsForParent';
        const units = await allPages(async (NextToken) => {
          const out = await client.send(
            new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken }),
          );
          return { items: out.OrganizationalUnits ?? [], next: out.NextToken };
        });
        for (const unit of units) if (unit.Id) await visit(unit.Id);
      };
      for (const ou of filter.ous) {
        if (ou.startsWith('r-') && !rootIds.has(ou))
          throw new UsageError(`--ou: ${ou} is not the root of organization ${org.Id}.`);
        try {
          await visit(ou);
        } catch (error) {
          const code = describeFailure(error, 'organizations', operation, region).code;
          if (code === 'ParentNotFoundException' || code === 'OrganizationalUnitNotFoundException')
            throw new UsageError(`--ou: ${ou} is not an organizational unit of organization ${org.Id}.`);
          throw error;
        }
      }
      chosen = chosen.filter((a) => under.has(a.Id));
    }
    if (filter.accounts && filter.accounts.length > 0) {
      for (const id of filter.accounts)
        if (!known.has(id))
          throw new UsageError(`--accounts: ${id} is not an account of organization ${org.Id}.`);
      const wanted = new Set(filter.accounts);
      chosen = chosen.filter((a) => wanted.has(a.Id));
    }
    const excluded = new Set(filter.excludeAccounts ?? []);
    chosen = chosen.filter((a) => !excluded.has(a.Id)).sort((a, b) => a.Id.localeCompare(b.Id));
    const management = known.get(org.MasterAccountId);
    return {
      organization: {
        Id: org.Id,
        MasterAccountId: org.MasterAccountId,
        ...(org.Arn ? { Arn: org.Arn } : {}),
        ...(management ? { MasterAccountName: management.Name } : {}),
      },
      accounts: chosen,
      leftOut: accounts.length - chosen.length,
      managementForContextOnly: !chosen.some((a) => a.Id === org.MasterAccountId),
    };
  } catch (error) {
    return organizationsError(error, operation, region, caller);
  }
}

/** What an account's credentials are made from in an organization run. */
export interface OrganizationAccess {
  /** The caller's access, its credentials resolved once (they feed every role). */
  access: AwsAccessOptions & { credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider };
  caller: CallerIdentity;
  member: MemberAccess;
  /** Where STS is asked for the roles. */
  controlRegion: string;
}

/**
 * The access of one account of the organization: the caller's own for the caller's account, the member
 * role (assumed on first use, renewed before it expires) for every other. A fix in an account uses the
 * same credentials its evidence was read with.
 */
export function accountAccessOptions(accountId: string, from: OrganizationAccess): AwsAccessOptions {
  if (accountId === from.caller.Account) return from.access;
  const roleArn = `arn:${from.caller.Partition}:iam::${accountId}:role/${from.member.roleName}`;
  // The profile named the caller's credentials; the role's are given instead.
  const { profile: _unused, ...rest } = from.access;
  void _unused;
  return {
    ...rest,
    credentials: roleCredentials(
      roleArn,
      from.member,
      from.access.credentials,
      from.controlRegion,
      from.access.endpoint,
    ),
  };
}

/** Why a role could not be assumed, and what to do, in one sentence. */
function assumeRoleReason(account: string, roleArn: string, failure: CallFailure, caller: string): string {
  if (failure.kind === 'access-denied' || failure.kind === 'not-found')
    return `${caller} could not assume ${roleArn} (${failure.code}): the role may be missing, may not trust the caller (or the external id), or a service control policy denies it. Create it in account ${account} ('trailcheck iam-policy --for org' prints a StackSet template) or pass --role-name.`;
  return `the role ${roleArn} could not be assumed: ${explainFailure(failure)}.`;
}

/** What one account of an organization run is collected with: the run's access and what to read. */
export interface AccountCollectSettings extends Omit<CollectOptions, 'onProgress' | 'access'> {
  from: OrganizationAccess;
}

/**
 * Collects ONE account of an organization: the caller's own with the caller's credentials, any other
 * through the member role. Never throws for the account's own trouble: a suspended account, a role that
 * cannot be assumed or a failed collection is the account's outcome. A job queue collects one member per
 * job with it; `collectOrganization` collects them all.
 */
export async function collectOrganizationAccount(
  account: OrganizationAccount,
  settings: AccountCollectSettings,
): Promise<{ outcome: AccountOutcome; access: AwsAccessOptions }> {
  const { from } = settings;
  const accountAccess = accountAccessOptions(account.Id, from);
  if (account.Status !== 'ACTIVE')
    return {
      access: accountAccess,
      outcome: {
        ok: false,
        stage: 'suspended',
        reason: `account ${account.Id} is ${account.Status.toLowerCase()} in the organization, so it was not scanned.`,
      },
    };
  if (account.Id !== from.caller.Account) {
    const roleArn = `arn:${from.caller.Partition}:iam::${account.Id}:role/${from.member.roleName}`;
    try {
      // Assumed once up front, so a role that cannot be assumed is one clear reason, not a failed call per Region.
      await (accountAccess.credentials as AwsCredentialIdentityProvider)();
    } catch (error) {
      const failure = {
        ...describeFailure(error, 'sts', 'AssumeRole', from.controlRegion),
        permission: 'sts:AssumeRole',
      };
      return {
        access: accountAccess,
        outcome: {
          ok: false,
          stage: 'assume-role',
          reason: assumeRoleReason(account.Id, roleArn, failure, from.caller.Arn),
          failure,
        },
      };
    }
  }
  try {
    const snapshot = await collect({
      access: accountAccess,
      regions: settings.regions ?? null,
      controls: settings.controls,
      ...(settings.now ? { now: settings.now } : {}),
    });
    if (snapshot.account.Account !== account.Id)
      return {
        access: accountAccess,
        outcome: {
          ok: false,
          stage: 'assume-role',
          reason: `the role in account ${account.Id} answered as account ${snapshot.account.Account}: its credentials reach another account, so its evidence was not used.`,
        },
      };
    return { access: accountAccess, outcome: { ok: true, snapshot } };
  } catch (error) {
    if (error instanceof UserError)
      return { access: accountAccess, outcome: { ok: false, stage: 'collect', reason: error.message } };
    // Anything else is a bug in trailcheck; it still must not cost the other accounts their assessment.
    const message = error instanceof Error ? error.message : String(error);
    return {
      access: accountAccess,
      outcome: {
        ok: false,
        stage: 'collect',
        reason: `trailcheck failed while reading account ${account.Id} (${message}); this is a bug, please report it.`,
      },
    };
  }
}

/**
 * The caller's side of an organization run, resolved once: its credentials (which feed every role) and
 * the Region STS is asked in. `caller` comes from `listOrganizationRun`, or from a stored listing when a
 * job in another process collects one member.
 */
export async function organizationAccess(
  access: AwsAccessOptions,
  member: MemberAccess,
  caller?: CallerIdentity,
): Promise<{ from: Omit<OrganizationAccess, 'caller'> & { caller?: CallerIdentity }; profile?: string }> {
  checkMemberAccess(member);
  const profile = profileInUse(access.profile, access.env ?? process.env);
  if (profile !== undefined) await assertProfileExists(profile);
  // One provider for the whole run: the caller's credentials are resolved once and feed every role.
  const base = access.credentials ?? fromNodeProviderChain(profile !== undefined ? { profile } : {});
  const controlRegion = await resolveControlRegion(access);
  return {
    from: { access: { ...access, credentials: base }, member, controlRegion, ...(caller ? { caller } : {}) },
    ...(profile !== undefined ? { profile } : {}),
  };
}

/** Lists the organization (checked filters first) and resolves what every account is collected with. */
export async function listOrganizationRun(options: {
  access?: AwsAccessOptions;
  filter?: OrganizationFilter;
  member: MemberAccess;
}): Promise<{ listing: OrganizationListing; from: OrganizationAccess }> {
  const filter = options.filter ?? {};
  checkFilter(filter);
  const { from, profile } = await organizationAccess(options.access ?? {}, options.member);
  const factory = new AwsClientFactory(from.access);
  try {
    const caller = await getCallerIdentity(factory, from.controlRegion, profile);
    const listing = { ...(await listOrganization(factory, caller, filter)), caller };
    return { listing, from: { ...from, caller } };
  } finally {
    factory.destroy();
  }
}

/** The management account as the listing knows it (or as the organization names it when filtered out). */
export function managementAccount(listing: OrganizationListing): OrganizationAccount {
  const { organization } = listing;
  return (
    listing.accounts.find((a) => a.Id === organization.MasterAccountId) ?? {
      Id: organization.MasterAccountId,
      Name: organization.MasterAccountName ?? organization.MasterAccountId,
      Status: 'ACTIVE',
    }
  );
}

/**
 * Collects every chosen account of the organization, `concurrency` at a time, and hands each outcome to
 * `onAccount` as it completes. One account's failure stays in that account; only a failure to list the
 * organization ends the run.
 */
export async function collectOrganization(options: OrganizationCollectOptions): Promise<OrganizationListing> {
  const concurrency = options.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
  const { listing, from } = await listOrganizationRun({
    ...(options.access ? { access: options.access } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
    member: options.member,
  });
  await options.onListed?.(listing);
  const settings: AccountCollectSettings = {
    from,
    regions: options.regions ?? null,
    controls: options.controls,
    ...(options.now ? { now: options.now } : {}),
  };
  // The management account first: its organization trails are what the members are judged against.
  const management = managementAccount(listing);
  const first = await collectOrganizationAccount(management, settings);
  await options.onAccount(management, first.outcome, first.access);
  const rest = listing.accounts.filter((a) => a.Id !== management.Id);
  await mapLimit(rest, Math.min(Math.max(1, concurrency), MAX_ACCOUNT_CONCURRENCY), async (account) => {
    const { outcome, access } = await collectOrganizationAccount(account, settings);
    await options.onAccount(account, outcome, access);
  });
  return listing;
}
