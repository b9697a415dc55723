/**
 * Findings as people read them: the same gap in many Regions (one control, one verdict, one next step
 * but for the Region's name) is one item naming the Regions, not one item per Region. Machine formats
 * keep one finding per Region; only the human-readable renderers group.
 */
import type { Finding } from '../core/finding.js';
import { isCodeSpan } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import { SEVERITY_RANK } from './outcome.js';
import type { ControlResult } from '../judge/assess.js';
import { actionItems } from './json.js';
import type { Report } from './model.js';

export interface FindingGroup {
  /** The first finding of the group: its control, verdict, severity and next step stand for all. */
  finding: Finding;
  findings: Finding[];
  /** The Regions of the group's findings, in the order they came. */
  regions: string[];
  /** The message, with the Region's name replaced by "these Regions" when the group has several. */
  message: RichText;
}

const PLACEHOLDER = '\u0000region\u0000';

function withoutRegion(text: string, region: string): string {
  return region === '' ? text : text.split(region).join(PLACEHOLDER);
}

function richKey(text: RichText, region: string): string {
  return text
    .map((part) =>
      isCodeSpan(part) ? `\`${withoutRegion(part.code, region)}\`` : withoutRegion(part, region),
    )
    .join('');
}

/** What must match, but for the Region, for two findings to read as one. */
function groupKey(finding: Finding): string {
  const region = finding.resource.region;
  const r = finding.remediation;
  return JSON.stringify([
    // One account's gap in many Regions reads as one item; two accounts' gaps stay two.
    finding.account ?? null,
    finding.control,
    finding.status,
    finding.severity,
    finding.suppressed ? [finding.suppressed.reason, finding.suppressed.expires] : null,
    finding.resource.type,
    withoutRegion(finding.resource.name, region),
    richKey(finding.message, region),
    r ? richKey(r.summary, region) : null,
    r ? r.cli.map((c) => withoutRegion(c, region)) : null,
    r?.permissions ?? null,
  ]);
}

/** The message of a group: a Region's name reads "these Regions" once the group spans several. */
function groupMessage(finding: Finding, regions: readonly string[]): RichText {
  if (regions.length <= 1) return finding.message;
  const region = finding.resource.region;
  return finding.message.map((part) =>
    isCodeSpan(part)
      ? part.code === region
        ? 'these Regions'
        : part
      : part.split(region).join('these Regions'),
  );
}

/** Groups findings in the order their first member came. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, { finding: Finding; findings: Finding[] }>();
  for (const finding of findings) {
    const key = groupKey(finding);
    const group = groups.get(key);
    if (group) group.findings.push(finding);
    else groups.set(key, { finding, findings: [finding] });
  }
  return [...groups.values()].map(({ finding, findings: members }) => {
    const regions = [...new Set(members.map((f) => f.resource.region))];
    return { finding, findings: members, regions, message: groupMessage(finding, regions) };
  });
}

const STATUS_RANK = { FAIL: 0, UNKNOWN: 1, PASS: 3 } as const;

/** Open failures first, then unknowns, accepted risks and passes; within each, the most severe first. */
export function byUrgency(a: FindingGroup, b: FindingGroup): number {
  const rank = (g: FindingGroup) => (g.finding.suppressed ? 2 : STATUS_RANK[g.finding.status]);
  return rank(a) - rank(b) || SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity];
}

/**
 * Where a group is: "us-east-1" for one Region, "in all 19 scanned Regions" when it spans every Region
 * scanned, else "in 3 Regions: a, b and c".
 */
export function regionPhrase(regions: readonly string[], scanned: readonly string[]): string {
  if (regions.length === 1) return regions[0] ?? '';
  if (scanned.length > 1 && scanned.every((r) => regions.includes(r)))
    return `in all ${scanned.length} scanned Regions`;
  const list =
    regions.length <= 1
      ? (regions[0] ?? '')
      : `${regions.slice(0, -1).join(', ')} and ${regions[regions.length - 1]}`;
  return `in ${regions.length} Regions: ${list}`;
}

/** "1 Region", "20 Regions", "us-east-1, eu-west-1": the scope line of every human report. */
export function scannedPhrase(regions: readonly string[]): string {
  return regions.length <= 3 ? regions.join(', ') : `${regions.length} Regions`;
}

/** The action plan's items with the same gap in several Regions as one item (see `groupFindings`). */
export function groupedActionItems(
  report: Report,
): Array<{ result: ControlResult; finding: Finding; order: number; group: FindingGroup }> {
  const items = actionItems(report);
  const groups = groupFindings(items.map((i) => i.finding));
  const groupOf = new Map<Finding, FindingGroup>();
  for (const group of groups) groupOf.set(group.finding, group);
  return items.flatMap((item) => {
    const group = groupOf.get(item.finding);
    return group ? [{ ...item, group }] : [];
  });
}

/**
 * What an action-plan row adds to the control's name: nothing when the control has one resource, the
 * Regions when the row stands for several, else the resource's name.
 */
export function issueWhere(
  result: ControlResult,
  group: FindingGroup,
  scanned: readonly string[],
  codeOf: (text: string) => string,
  textOf: (text: string) => string,
): string {
  if (group.regions.length > 1) return ` (${textOf(regionPhrase(group.regions, scanned))})`;
  if (result.findings.length <= 1) return '';
  const { name, region } = group.finding.resource;
  return name === region ? ` (${textOf(region)})` : ` (${codeOf(name)})`;
}
