/**
 * What a finding is about: the one definition every comparison of findings uses (diff, suppressions, the
 * planner, the machine formats' finding ids), so two findings are "the same" everywhere or nowhere.
 *
 * The identity is account + control + resource id + Region + resource name. The Region is part of it
 * because several findings of one control can be about the same resource id in different Regions
 * (CloudTrail.3 judges each Region with the account id as the resource id); a multi-Region resource's
 * Region is its home Region, which does not change between runs. The name is part of it only because the
 * blind-spot findings need it: "Regions not scanned", "trails in eu-west-1" and the account's own finding
 * of a control share the account id and the control Region and differ only by name. For every other
 * resource the name adds nothing (a trail's or bucket's ARN holds its name, which AWS never changes);
 * where a name can change (an event data store's), a renamed resource shows as one finding gone and
 * one new, which over-reports and never hides.
 */
import type { Finding } from './finding.js';

/** The parts of a finding its identity is made of (JSON report findings have them too). */
export type IdentifiableFinding = Pick<Finding, 'control'> & {
  resource: Pick<Finding['resource'], 'id' | 'region' | 'name'>;
};

/**
 * The identity of `finding` in `account` (null when a report does not know its account), as a string
 * to compare or use as a map key. JSON keeps the parts apart whatever characters a name holds.
 */
export function findingIdentity(account: string | null, finding: IdentifiableFinding): string {
  const { id, region, name } = finding.resource;
  return JSON.stringify([account ?? '', finding.control, id, region, name]);
}

/** The same identity, readable: for messages that must say which finding they mean. */
export function describeIdentity(finding: IdentifiableFinding): string {
  const { id, region, name } = finding.resource;
  return `${finding.control} on ${name === id ? id : `${name} (${id})`} in ${region}`;
}
