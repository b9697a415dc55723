import type { SnapshotView } from '../evaluate/view.js';
import type { RichText } from '../core/rich.js';
import type { ControlOutcome, Finding, ResourceType, Severity } from '../core/finding.js';
import type { EvidenceNeed } from '../snapshot/needs.js';
import type { FixPermissions } from '../fixes/permissions.js';
import type { FrameworkIds } from '../frameworks/index.js';
import type { ControlOption } from './options.js';

export { STATUSES, SEVERITIES } from '../core/finding.js';
export type {
  Status,
  Severity,
  ResourceType,
  ResourceRef,
  Evidence,
  Remediation,
  FixProposal,
  SuppressionMark,
  Finding,
  FrameworkRef,
  ControlStatus,
  ControlOutcome,
} from '../core/finding.js';
export type { EvidenceNeed } from '../snapshot/needs.js';

/** Plain-language texts, in the voice of the seed report. */
export interface ControlTexts {
  /** Short name for tables: "Log file validation". */
  name: string;
  /** Noun phrase for sentences: "log file validation". */
  topic: string;
  /** What trailcheck tests, precisely (for `explain` and engineers). */
  checks: string;
  /** What the feature does, for people. */
  whatItDoes: string;
  whyItMatters: string;
  /** Why the fix is the right move, for the action plan. */
  whyFix: string;
  /** The fix as a verb phrase for the bottom line: "enable log file validation". */
  action: string;
  /** How to fix it in general, for `trailcheck explain` (findings carry the exact commands). */
  howToFix: string;
  /** The "What it means" sentence of the summary table, naming the real resources. */
  meaning: (outcome: ControlOutcome) => RichText;
}

export interface ControlDefinition {
  /** Security Hub control id, e.g. CloudTrail.4. */
  id: string;
  title: string;
  /** Its id in Security Hub and its number in each CIS version that lists it. */
  frameworks?: FrameworkIds;
  severity: Severity;
  resourceType: ResourceType;
  needs: EvidenceNeed[];
  texts: ControlTexts;
  /**
   * What its findings depend on, so the planner judges again only what a change reaches. `trail`: one
   * finding per owned trail, from that trail, its bucket and its key; `bucket`: one per trail bucket,
   * from the bucket, the trails delivering to it and its access-log target; `trails`: findings about the
   * account from its trails and the Regions' trail listings only; `account` (the default, always safe):
   * anything in the snapshot. Account-level findings (Regions not listed) are judged again always.
   */
  scope?: 'trail' | 'bucket' | 'trails' | 'account';
  /**
   * Its own settings (declared in its folder): the CLI makes each a flag, an environment variable and a
   * config-file key, and the control reads the value with optionValue.
   */
  options?: readonly ControlOption<unknown>[];
  /**
   * Every call its fixes and their undos may make (and a role they pass): `iam-policy --for fix` is made
   * from these. None: it proposes no fix that trailcheck can apply.
   */
  fixPermissions?: FixPermissions;
  /** Pure: snapshot in, findings out. No I/O. */
  evaluate: (view: SnapshotView) => Finding[];
}
