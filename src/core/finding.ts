/**
 * What a finding is, shared by every pass: judging makes findings, planning and reports read them. Kept
 * at the bottom so nothing that uses them imports upward.
 */
import type { UnknownCause } from '../aws/errors.js';
import type { ApiCall } from './api-call.js';
import type { RichText } from './rich.js';

export const STATUSES = ['PASS', 'FAIL', 'UNKNOWN'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Resource types, named as in the AWS Security Finding Format. */
export type ResourceType =
  | 'AwsAccount'
  | 'AwsCloudTrailTrail'
  | 'AwsS3Bucket'
  | 'AwsCloudTrailEventDataStore'
  | 'AwsKmsKey'
  | 'AwsEc2Vpc';

export interface ResourceRef {
  type: ResourceType;
  /** ARN; the account id for account-level findings; arn:aws:s3:::NAME for buckets. */
  id: string;
  name: string;
  region: string;
}

/** One API fact that decided a verdict, or the failure that kept it from being known. */
export interface Evidence {
  /** `service:Operation`. */
  source: string;
  region: string;
  /** Fields as the API returned them. */
  facts?: Record<string, unknown>;
  error?: {
    kind: string;
    code: string;
    message: string;
    permission?: string;
  };
}

export interface Remediation {
  /** The next step, in one plain sentence with the real names. */
  summary: RichText;
  /** AWS CLI commands, in the order to run them. */
  cli: string[];
  /** Console steps, in order. */
  console: string[];
  /** For UNKNOWN findings: the IAM actions that would let trailcheck settle the question (denials only). */
  permissions?: string[];
  /** For UNKNOWN findings: what kept the verdict from being known, so advice fits the cause. */
  causes?: UnknownCause[];
  /** The same change as Terraform (import blocks for what exists, resources for what is new). */
  terraform?: string;
  /** The same change as a CloudFormation template (YAML). */
  cloudformation?: string;
}

/**
 * What a control proposes for a failed finding, as API calls: `trailcheck plan` orders and merges the
 * proposals of every finding into one plan, `trailcheck fix` applies it, and every report shows it. A
 * proposal only ever adds or turns on; the planner checks that on a simulation of the account.
 */
export interface FixProposal {
  /** The next step in one plain sentence, naming the real resources. */
  summary: RichText;
  /** The calls, in the order they must be made. */
  calls: ApiCall[];
  /** Console steps for the same change. */
  console: string[];
  /** Said before anything is applied: what it costs, what it narrows on purpose. */
  notes?: string[];
  /**
   * The calls leave one step that only a person can take (confirm an e-mail subscription): the finding
   * stays FAIL until then, truthfully, and the planner keeps the fix all the same. Its notes say what.
   */
  pending?: boolean;
}

/**
 * A finding the user accepted in a suppression file (`--ignore`). The verdict itself is unchanged: the
 * marker only says the finding does not fail the run, why, and until when.
 */
export interface SuppressionMark {
  reason: string;
  /** Last day (YYYY-MM-DD, UTC) the suppression applies. */
  expires: string;
  /** Where it was declared, e.g. "ignore.yaml, entry 2". */
  source: string;
}

export interface Finding {
  control: string;
  status: Status;
  severity: Severity;
  title: string;
  message: RichText;
  resource: ResourceRef;
  evidence: Evidence[];
  remediation: Remediation | null;
  /** FAIL findings a fix can close: the calls that close it (internal; reports show `remediation`). */
  proposal?: FixProposal;
  suppressed?: SuppressionMark;
  /** The account the finding is about, set when a report covers several accounts (`scan --org`). */
  account?: string;
}

/**
 * A control's verdict on a resource this account uses but does not own (an organization trail, its bucket
 * or key): it is judged once, in the account that owns it, and the reports point there.
 */
export interface JudgedElsewhere {
  resource: ResourceRef;
  /** The account whose assessment holds the verdict. */
  account: string;
  /** The organization trail that brings the resource here. */
  trail: string;
  /** The verdict there, when that account was assessed in the same run (`scan --org`). */
  status?: Status | 'NOT_ASSESSED';
}

export interface FrameworkRef {
  framework: string;
  id: string;
}

/** The outcome of one control over all its resources. NOT_APPLICABLE: nothing to assess. */
export type ControlStatus = Status | 'NOT_APPLICABLE';

export interface ControlOutcome {
  status: ControlStatus;
  findings: Finding[];
}
