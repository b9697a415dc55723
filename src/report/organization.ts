/**
 * The report of an organization: each account judged, planned and reported as it completes (its evidence
 * is let go at once), then one report over all of them. Every finding names its account; the organization
 * view lists each account's status and summary, worst first where people read it.
 */
import type { ControlDefinition, Finding } from '../controls/types.js';
import type { JudgedElsewhere } from '../core/finding.js';
import { aggregateStatus } from '../evaluate/aggregate.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import { integerResult } from '../judge/assess.js';
import {
  deferToOrganizationTrails,
  deferredToManagement,
  organizationContext,
  unreadableAssessment,
  withOrganizationTrails,
} from '../judge/organization.js';
import type { OrganizationContext } from '../judge/organization.js';
import type { Plan } from '../remediate/plan.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { OrganizationAccount, OrganizationInfo, StoredOutcome } from '../snapshot/organization.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { makeReport, reportOf } from './model.js';
import type { AccountView, Report } from './model.js';

export interface OrganizationReportSettings {
  controls: readonly ControlDefinition[];
  options: AssessOptions & { framework?: Framework };
  /** Marks what the user accepted (a suppression file), per account. */
  accept?: (assessment: Assessment) => Assessment;
  /** Whether a format that shows each fix as Terraform and CloudFormation (JSON) will be written. */
  keepFixAsCode: boolean;
  organization: OrganizationInfo;
  leftOut: number;
  /** The management account's evidence is context only: it is not one of the accounts reported. */
  managementForContextOnly: boolean;
  partition: string;
  /** Where the run asked its global questions, until an assessed account's evidence says it. */
  controlRegion: string;
  startedAt: string;
}

/** A report that no longer holds its snapshot: what it shows as code is made now, if it will be shown. */
function detach(report: Report, keepFixAsCode: boolean): Report {
  const code = new Map<Finding, { terraform: string; cloudformation: string } | undefined>();
  if (keepFixAsCode) for (const f of report.findings) if (f.remediation) code.set(f, report.fixAsCode(f));
  return { ...report, fixAsCode: (f) => code.get(f) };
}

function stamp(report: Report, account: string): Report {
  const stamped = new Map<Finding, Finding>();
  const of = (f: Finding): Finding => {
    let s = stamped.get(f);
    if (!s) {
      s = f.account === account ? f : { ...f, account };
      stamped.set(f, s);
    }
    return s;
  };
  const original = new Map<Finding, Finding>();
  for (const f of report.findings) original.set(of(f), f);
  const back = (f: Finding) => original.get(f) ?? f;
  return {
    ...report,
    results: report.results.map((r) => ({ ...r, findings: r.findings.map(of) })),
    findings: report.findings.map(of),
    judged: report.judged.map(of),
    planOrder: (f) => report.planOrder(back(f)),
    fixAsCode: (f) => report.fixAsCode(back(f)),
  };
}

export class OrganizationReportBuilder {
  private context: OrganizationContext | undefined;
  private readonly accounts: AccountView[] = [];
  /** Learnt from the first account read (the management account comes first). */
  private controlRegion: string | undefined;

  constructor(private readonly settings: OrganizationReportSettings) {}

  /**
   * Judges, plans and reports one account. The management account must come first: it sets the context
   * (its organization trails) the members are judged in.
   */
  add(account: OrganizationAccount, outcome: StoredOutcome): AccountView | undefined {
    const s = this.settings;
    if (outcome.ok) this.controlRegion ??= outcome.snapshot.scope.controlRegion;
    const isManagement = account.Id === s.organization.MasterAccountId;
    if (isManagement)
      this.context = organizationContext(
        s.organization,
        outcome.ok ? outcome.snapshot : { unreadable: outcome.reason },
      );
    if (isManagement && s.managementForContextOnly) return undefined;
    const context =
      this.context ??
      organizationContext(s.organization, { unreadable: 'it was not read before the members' });
    let report: Report;
    if (outcome.ok) {
      const snapshot: Snapshot = withOrganizationTrails(outcome.snapshot, context);
      const accept = s.accept;
      const judged = (a: Assessment) => deferToOrganizationTrails(accept ? accept(a) : a, context);
      const deferred = deferredToManagement(account.Id, context, s.controls);
      const options = deferred
        ? { ...s.options, remediation: { ...s.options.remediation, deferred } }
        : s.options;
      report = detach(reportOf(snapshot, s.controls, options, judged), s.keepFixAsCode);
    } else {
      const assessed = unreadableAssessment(
        {
          account,
          stage: outcome.stage,
          reason: outcome.reason,
          ...(outcome.failure ? { failure: outcome.failure } : {}),
        },
        s.controls,
        {
          partition: s.partition,
          regions: [],
          controlRegion: this.controlRegion ?? s.controlRegion,
          at: s.startedAt,
          ...(s.options.framework ? { framework: s.options.framework } : {}),
        },
      );
      const accepted = s.accept ? s.accept(assessed) : assessed;
      report = makeReport(accepted, emptyPlan(account.Id, s.partition), undefined);
    }
    report = stamp(report, account.Id);
    const view: AccountView = {
      id: account.Id,
      name: account.Name,
      ...(account.Email ? { email: account.Email } : {}),
      assessed: outcome.ok,
      ...(outcome.ok ? {} : { reason: outcome.reason }),
      summary: report.summary,
      integerResult: integerResult(report),
      controls: Object.fromEntries(report.results.map((r) => [r.control.id, r.status])),
      report,
    };
    this.accounts.push(view);
    return view;
  }

  /** One report over every account added. */
  finish(finishedAt: string): Report {
    const s = this.settings;
    const accounts = [...this.accounts].sort((a, b) => a.id.localeCompare(b.id));
    const byAccount = new Map(accounts.map((a) => [a.id, a.report]));
    const reportOfFinding = (f: Finding) => (f.account !== undefined ? byAccount.get(f.account) : undefined);
    // Control order as the framework (if any) sorts it: every account's results share it.
    const order = accounts[0]?.report.results.map((r) => r.control) ?? [...s.controls];
    const results: ControlResult[] = order.map((control) => {
      const findings: Finding[] = [];
      const elsewhere = new Map<string, JudgedElsewhere>();
      for (const a of accounts) {
        const r = a.report.results.find((x) => x.control.id === control.id);
        if (!r) continue;
        findings.push(...r.findings);
        for (const ref of r.elsewhere ?? []) {
          const key = `${ref.account}\u0000${ref.resource.id}`;
          if (elsewhere.has(key)) continue;
          elsewhere.set(key, { ...ref, status: ownerVerdict(ref, control.id, byAccount) });
        }
      }
      return {
        control,
        status: aggregateStatus(findings),
        findings,
        ...(elsewhere.size > 0 ? { elsewhere: [...elsewhere.values()] } : {}),
      };
    });
    const findings = results.flatMap((r) => r.findings);
    const summary = { PASS: 0, FAIL: 0, UNKNOWN: 0, total: findings.length };
    for (const f of findings) summary[f.status] += 1;
    const regions = [...new Set(accounts.flatMap((a) => a.report.regions))].sort();
    const calls = new Map<string, Report['stats']['apiCalls'][number]>();
    for (const a of accounts)
      for (const c of a.report.stats.apiCalls) {
        const key = `${c.operation}\u0000${c.region}`;
        const sum = calls.get(key);
        if (sum)
          calls.set(key, {
            ...sum,
            calls: sum.calls + c.calls,
            attempts: sum.attempts + c.attempts,
            failures: sum.failures + c.failures,
          });
        else calls.set(key, { ...c });
      }
    const notes = organizationNotes(this.context, accounts, s.leftOut);
    const merged: Report = {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      account: {
        id: s.organization.MasterAccountId,
        partition: s.partition,
        arn: `arn:${s.partition}:iam::${s.organization.MasterAccountId}:root`,
      },
      controlRegion: this.controlRegion ?? s.controlRegion,
      regions,
      startedAt: s.startedAt,
      finishedAt,
      results,
      findings,
      summary,
      notes,
      stats: {
        durationMs: Date.parse(finishedAt) - Date.parse(s.startedAt),
        apiCalls: [...calls.values()].sort(
          (a, b) => a.operation.localeCompare(b.operation) || a.region.localeCompare(b.region),
        ),
      },
      framework: s.options.framework,
      controls: order,
      judged: order.flatMap((c) =>
        accounts.flatMap((a) => a.report.judged.filter((f) => f.control === c.id)),
      ),
      plan: emptyPlan(s.organization.MasterAccountId, s.partition),
      planOrder: (f) => reportOfFinding(f)?.planOrder(f),
      fixAsCode: (f) => reportOfFinding(f)?.fixAsCode(f),
      organization: { info: s.organization, accounts, leftOut: s.leftOut },
    };
    return merged;
  }
}

/** The verdict of the owner's finding a member's pointer stands for. */
function ownerVerdict(
  ref: JudgedElsewhere,
  control: string,
  reports: Map<string, Report>,
): JudgedElsewhere['status'] {
  const owner = reports.get(ref.account);
  const finding = owner?.findings.find((f) => f.control === control && f.resource.id === ref.resource.id);
  return finding?.status ?? 'NOT_ASSESSED';
}

function organizationNotes(
  context: OrganizationContext | undefined,
  accounts: readonly AccountView[],
  leftOut: number,
): string[] {
  const notes: string[] = [];
  if (context?.unreadable !== undefined)
    notes.push(
      `The management account ${context.organization.MasterAccountId} could not be read (${context.unreadable}): organization trails were not counted for the members.`,
    );
  for (const trail of context?.trails ?? [])
    notes.push(
      `Organization trail ${trail.config.Name} (account ${context?.organization.MasterAccountId}) is counted for every member account; its own settings, bucket and key are judged once, in account ${context?.organization.MasterAccountId}.`,
    );
  const missing = accounts.filter((a) => !a.assessed);
  if (missing.length > 0)
    notes.push(
      `${missing.length} of ${accounts.length} accounts could not be assessed (every control UNKNOWN there): ${missing
        .slice(0, 20)
        .map((a) => a.id)
        .join(', ')}${missing.length > 20 ? ', …' : ''}.`,
    );
  if (leftOut > 0)
    notes.push(
      `${leftOut} ${leftOut === 1 ? 'account' : 'accounts'} of the organization ${leftOut === 1 ? 'was' : 'were'} left out by --ou, --accounts or --exclude-accounts.`,
    );
  return notes;
}

export function emptyPlan(account: string, partition: string): Plan {
  return {
    account,
    partition,
    actions: [],
    steps: [],
    expected: [],
    fixedBy: new Map(),
    warnings: [],
    accepted: [],
    effects: [],
    outputStep: new Map(),
  };
}
