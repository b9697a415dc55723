/**
 * `plan --org` and `fix --org`: every account of the organization planned on its own judged findings (a
 * member with the management account's organization trails counted, as `scan --org` judges it), each
 * plan made only of changes to that account's own resources, to be run with that account's credentials.
 */
import { AwsClientFactory } from '../aws/clients.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import { collectOrganization } from '../collect/organization.js';
import type { AccountOutcome } from '../collect/organization.js';
import { assess } from '../judge/assess.js';
import type { Assessment } from '../judge/assess.js';
import {
  deferToOrganizationTrails,
  deferredToManagement,
  organizationContext,
  withOrganizationTrails,
} from '../judge/organization.js';
import type { OrganizationContext } from '../judge/organization.js';
import type { Plan } from '../remediate/plan.js';
import type {
  OrganizationAccount,
  OrganizationInfo,
  OrganizationSnapshot,
} from '../snapshot/organization.js';
import type { Snapshot } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import type { OrganizationFlags, OrganizationRunSettings } from './organization.js';
import { organizationSettings } from './organization.js';
import { planWithNames } from './remediation.js';
import type { Prepared } from './remediation.js';

/** One account of the organization, planned (or why it could not be). */
export interface AccountPlan {
  account: OrganizationAccount;
  /** The account that owns the organization trails (and whose credentials run trailcheck, usually). */
  management: boolean;
  /** Whose credentials its changes need, in a few words. */
  credentials: string;
  /** Absent when the account could not be read; `reason` says why. */
  planned?: {
    /** The evidence judged: a member's own, with the organization trails added. */
    snapshot: Snapshot;
    before: Assessment;
    plan: Plan;
  };
  reason?: string;
  /** Live runs only: the credentials it was read with, which a fix there uses too. */
  access?: AwsAccessOptions;
}

export interface OrganizationPlanRun {
  organization: OrganizationInfo;
  /** What members are judged against; a fix in a member is checked again in the same context. */
  context: () => OrganizationContext;
}

/** Where the organization's evidence comes from: AWS now, or an organization snapshot. */
export type OrganizationSource =
  | { kind: 'live'; run: OrganizationRunSettings }
  | { kind: 'snapshot'; snapshot: OrganizationSnapshot; accounts: readonly string[] | undefined };

/**
 * The organization flags of plan and fix. With a snapshot only --accounts applies (it picks accounts of
 * the file); the others choose what to read from AWS.
 */
export function organizationSource(
  values: OrganizationFlags,
  read: { kind: 'account' } | { kind: 'organization'; snapshot: OrganizationSnapshot } | undefined,
): OrganizationSource | undefined {
  if (read === undefined) {
    const run = organizationSettings(values);
    return run ? { kind: 'live', run } : undefined;
  }
  if (read.kind === 'account') {
    if (values.org)
      throw new UsageError(
        "--org: the --snapshot file is one account's snapshot; an organization snapshot comes from collect --org.",
      );
    organizationSettings(values);
    return undefined;
  }
  const snapshot = read.snapshot;
  for (const flag of ['ou', 'exclude-accounts', 'role-name', 'external-id', 'concurrency'] as const)
    if (values[flag] !== undefined)
      throw new UsageError(
        `--${flag} chooses what an organization run reads from AWS; with --snapshot only --accounts applies.`,
      );
  const run = organizationSettings({ ...values, org: true });
  const accounts = run?.filter.accounts;
  if (accounts) {
    const held = new Set<string>();
    for (const { account } of snapshot.entries()) held.add(account.Id);
    for (const id of accounts)
      if (!held.has(id))
        throw new UsageError(`--accounts: ${id} is not an account of the organization snapshot.`);
  }
  return { kind: 'snapshot', snapshot, accounts };
}

/** The accounts a source is limited to with --accounts, if it is. */
export function namedAccounts(source: OrganizationSource): readonly string[] | undefined {
  return source.kind === 'live' ? source.run.filter.accounts : source.accounts;
}

const TRAIL_ARN = /^arn:[^:]+:cloudtrail:[^:]*:(\d{12}):trail\//;

/**
 * A guard, not a choice: controls only fix trails the judged account owns, so a step that names another
 * account's trail (an organization trail seen from a member) is a bug, and the plan says so.
 */
function ownStepsOnly(plan: Plan, account: string): Plan {
  const foreign = plan.steps.filter((step) =>
    Object.values(step.call.input).some((value) => {
      const match = typeof value === 'string' ? TRAIL_ARN.exec(value) : null;
      return match !== null && match[1] !== account;
    }),
  );
  if (foreign.length === 0) return plan;
  return {
    ...plan,
    warnings: [
      ...plan.warnings,
      `step ${foreign.map((s) => s.number).join(', ')} would change a trail of another account`,
    ],
  };
}

function credentialsOf(
  account: OrganizationAccount,
  callerAccount: string,
  roleName: string | undefined,
  partition: string,
): string {
  if (account.Id === callerAccount) return `the credentials trailcheck ran with (account ${account.Id})`;
  if (roleName === undefined) return `credentials of account ${account.Id}`;
  return `the role ${roleName} in account ${account.Id} (arn:${partition}:iam::${account.Id}:role/${roleName})`;
}

/**
 * Plans every chosen account and hands each to `onPlanned` as it is ready (the management account first,
 * the members in the order they complete). Accounts are not kept: the caller keeps what it needs.
 */
export async function planOrganization(
  prepared: Prepared,
  source: OrganizationSource,
  onPlanned: (planned: AccountPlan) => void | Promise<void>,
): Promise<OrganizationPlanRun> {
  let organization: OrganizationInfo | undefined;
  let context: OrganizationContext | undefined;
  let callerAccount = '';
  let partition = 'aws';
  let forContextOnly = false;
  const roleName = source.kind === 'live' ? source.run.member.roleName : undefined;

  const planAccount = async (
    account: OrganizationAccount,
    outcome: AccountOutcome,
    access: AwsAccessOptions | undefined,
  ): Promise<void> => {
    if (!organization) throw new Error('an account arrived before the organization was listed');
    const management = account.Id === organization.MasterAccountId;
    if (management)
      context = organizationContext(
        organization,
        outcome.ok ? outcome.snapshot : { unreadable: outcome.reason },
      );
    if (management && forContextOnly) return;
    const base: AccountPlan = {
      account,
      management,
      credentials: credentialsOf(account, callerAccount, roleName, partition),
      ...(access ? { access } : {}),
    };
    if (!outcome.ok) {
      await onPlanned({ ...base, reason: outcome.reason });
      return;
    }
    const judgedIn =
      context ?? organizationContext(organization, { unreadable: 'it was not read before the members' });
    const snapshot = withOrganizationTrails(outcome.snapshot, judgedIn);
    const before = deferToOrganizationTrails(
      assess(snapshot, prepared.selection.controls, prepared.options),
      judgedIn,
    );
    // Free names are asked of the account itself, with its own credentials.
    const factory = access ? new AwsClientFactory(access) : undefined;
    let plan: Plan;
    try {
      const deferred = deferredToManagement(account.Id, judgedIn, prepared.selection.controls);
      const own = deferred
        ? {
            ...prepared,
            options: {
              ...prepared.options,
              remediation: { ...prepared.options.remediation, deferred },
            },
          }
        : prepared;
      plan = ownStepsOnly(await planWithNames(snapshot, own, factory, before), account.Id);
    } finally {
      factory?.destroy();
    }
    await onPlanned({ ...base, planned: { snapshot, before, plan } });
  };

  if (source.kind === 'snapshot') {
    const file = source.snapshot;
    organization = file.organization;
    callerAccount = file.caller.Account;
    partition = file.caller.Partition;
    const wanted = source.accounts ? new Set(source.accounts) : undefined;
    forContextOnly =
      file.managementForContextOnly || (wanted !== undefined && !wanted.has(organization.MasterAccountId));
    for (const { account, outcome } of file.entries()) {
      if (wanted && !wanted.has(account.Id) && account.Id !== organization.MasterAccountId) continue;
      await planAccount(account, outcome, undefined);
    }
  } else {
    const { run } = source;
    await collectOrganization({
      access: prepared.access,
      regions: prepared.regions,
      controls: prepared.selection.controls,
      filter: run.filter,
      member: run.member,
      concurrency: run.concurrency,
      onListed: (listing) => {
        organization = listing.organization;
        callerAccount = listing.caller.Account;
        partition = listing.caller.Partition;
        forContextOnly = listing.managementForContextOnly;
        if (listing.accounts.length === 0)
          throw new UsageError('the filters leave no account of the organization to plan for.');
      },
      onAccount: planAccount,
    });
  }
  const info = organization;
  if (!info) throw new Error('the organization was never listed');
  return {
    organization: info,
    context: () => context ?? organizationContext(info, { unreadable: 'it was not read before the members' }),
  };
}

/** Management account first, then by id: the order sections are shown and accounts changed in. */
export function accountOrder(a: AccountPlan, b: AccountPlan): number {
  if (a.management !== b.management) return a.management ? -1 : 1;
  return a.account.Id.localeCompare(b.account.Id);
}

/** `ID (name)`, the way sections and messages name an account. */
export function accountLabel(account: OrganizationAccount): string {
  return account.Name && account.Name !== account.Id ? `${account.Id} (${account.Name})` : account.Id;
}

/** The accounts of a --accounts list are the ones --apply may change: without it, nothing is changed. */
export function refuseApplyWithoutAccounts(source: OrganizationSource): void {
  if (namedAccounts(source) === undefined)
    throw new UsageError(
      'fix --org --apply changes only the accounts you name: give --accounts ID,ID (the dry run, without --apply, covers the whole organization).',
    );
}
