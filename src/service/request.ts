/**
 * What a scan is asked to assess: the API's body for POST /api/scans and a schedule's target. It maps
 * one to one onto `trailcheck scan` flags, so the service's scans are judged exactly like the CLI's and a
 * bad value gets the CLI's own one-line message.
 */
import { z } from 'zod';

const idList = z.array(z.string().trim().min(1).max(256)).max(1000);

export const OrganizationRequestSchema = z.strictObject({
  ous: idList.optional(),
  accounts: idList.optional(),
  excludeAccounts: idList.optional(),
  roleName: z.string().max(64).optional(),
  externalId: z.string().max(1224).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
});

export const ScanRequestSchema = z.strictObject({
  regions: z.array(z.string().trim().min(1).max(32)).max(64).optional(),
  controls: z.array(z.string().trim().min(1).max(64)).max(200).optional(),
  framework: z.string().max(64).optional(),
  /** Present: assess the organization (scan --org) with these filters; absent: the caller's account. */
  organization: OrganizationRequestSchema.optional(),
});

export type ScanRequest = z.infer<typeof ScanRequestSchema>;
export type OrganizationRequest = z.infer<typeof OrganizationRequestSchema>;

/** Sorted and without duplicates, so two requests for the same thing have the same text. */
export function canonicalRequest(request: ScanRequest): ScanRequest {
  const sorted = (list: string[] | undefined) =>
    list === undefined ? undefined : [...new Set(list.map((s) => s.trim()))].sort();
  const out: ScanRequest = {};
  const regions = sorted(request.regions?.map((r) => r.toLowerCase()));
  const controls = sorted(request.controls);
  if (regions) out.regions = regions;
  if (controls) out.controls = controls;
  if (request.framework !== undefined) out.framework = request.framework;
  if (request.organization) {
    const o = request.organization;
    const org: OrganizationRequest = {};
    const ous = sorted(o.ous);
    const accounts = sorted(o.accounts);
    const excluded = sorted(o.excludeAccounts);
    if (ous) org.ous = ous;
    if (accounts) org.accounts = accounts;
    if (excluded) org.excludeAccounts = excluded;
    if (o.roleName !== undefined) org.roleName = o.roleName;
    if (o.externalId !== undefined) org.externalId = o.externalId;
    if (o.concurrency !== undefined) org.concurrency = o.concurrency;
    out.organization = org;
  }
  return out;
}

/** The flags that choose the controls and how they are named: judging a stored snapshot needs these only. */
export function selectionFlags(request: ScanRequest): string[] {
  const flags: string[] = [];
  if (request.controls && request.controls.length > 0) flags.push(`--controls=${request.controls.join(',')}`);
  if (request.framework !== undefined) flags.push(`--framework=${request.framework}`);
  return flags;
}

/** The `trailcheck collect` flags that ask for what the request asks for. */
export function requestFlags(request: ScanRequest): string[] {
  const flags: string[] = selectionFlags(request);
  if (request.regions && request.regions.length > 0) flags.push(`--region=${request.regions.join(',')}`);
  const org = request.organization;
  if (org) {
    flags.push('--org');
    if (org.ous) flags.push(`--ou=${org.ous.join(',')}`);
    if (org.accounts) flags.push(`--accounts=${org.accounts.join(',')}`);
    if (org.excludeAccounts) flags.push(`--exclude-accounts=${org.excludeAccounts.join(',')}`);
    if (org.roleName !== undefined) flags.push(`--role-name=${org.roleName}`);
    if (org.externalId !== undefined) flags.push(`--external-id=${org.externalId}`);
    if (org.concurrency !== undefined) flags.push(`--concurrency=${String(org.concurrency)}`);
  }
  return flags;
}
