/**
 * The metric filter patterns the CIS AWS Foundations Benchmark prints for each "… is monitored" check,
 * per benchmark version, keyed by trailcheck control id (Security Hub's CloudWatch.N; Organizations
 * changes have no Security Hub id). Source: ../shared/docs/monitoring-spec.md (Prowler, Steampipe and
 * the Security Hub guide as they quote the benchmark). v1.2 numbers these 3.x, v1.4 and later 4.x.
 *
 * A monitoring check passes when a filter covers the pattern's meaning (see filter-pattern.ts), so
 * what matters here is the set of events each pattern catches, not its spelling.
 */
import { FRAMEWORK_DEFINITIONS } from '../frameworks/index.js';
import { coverage, parseFilterPattern, type CoverageVerdict, type Expression } from './filter-pattern.js';

export const CIS_VERSIONS = ['cis-1.2', 'cis-1.4', 'cis-3.0', 'cis-4.0', 'cis-5.0'] as const;
export type CisVersion = (typeof CIS_VERSIONS)[number];

export interface CisPattern {
  /** The pattern as the benchmark prints it. */
  text: string;
  /**
   * What the printed text means, when the print says something else: the benchmark writes
   * `A || B && C && D` for "(A or B), and C, and D" (the reading every tool and Security Hub uses).
   */
  meaning?: string;
  /** Other patterns the benchmark accepts in its place ("or, to reduce false positives …"). */
  alternatives?: readonly string[];
}

const ROOT_USE =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';

const UNAUTHORIZED_V1_2 = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';
const UNAUTHORIZED_LATER: CisPattern = {
  text: '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
  meaning:
    '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
};

const NO_MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
const NO_MFA_IAM_USER_SUCCESS =
  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';

const IAM_POLICY =
  '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}';

const CLOUDTRAIL_CONFIG =
  '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }';

const CONSOLE_AUTH_FAILURES =
  '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }';

const CMK_DISABLE_OR_DELETE =
  '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }';

const S3_BUCKET_POLICY =
  '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }';

const CONFIG_CHANGES =
  '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }';

const SECURITY_GROUPS =
  '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }';

const NACLS =
  '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }';

const NETWORK_GATEWAYS =
  '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }';

const ROUTE_TABLES =
  '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }';

const VPCS =
  '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }';

const ORGANIZATIONS =
  '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }';

/** The same pattern in every listed version. */
const inVersions = (
  pattern: CisPattern,
  versions: readonly CisVersion[] = CIS_VERSIONS,
): Partial<Record<CisVersion, CisPattern>> => Object.fromEntries(versions.map((v) => [v, pattern]));

const FROM_V1_4: readonly CisVersion[] = ['cis-1.4', 'cis-3.0', 'cis-4.0', 'cis-5.0'];

/** Control id → benchmark version → the pattern that version prints. A version without the check is absent. */
export const CIS_MONITORING_PATTERNS: Readonly<Record<string, Partial<Record<CisVersion, CisPattern>>>> = {
  'CloudWatch.1': inVersions({ text: ROOT_USE }),
  'CloudWatch.2': {
    'cis-1.2': { text: UNAUTHORIZED_V1_2 },
    // v1.4 prints every term joined by || (which would catch nearly every event); the erratum means
    // the && of later versions, and is judged by that.
    'cis-1.4': {
      text: '{($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
      meaning: UNAUTHORIZED_LATER.meaning as string,
    },
    ...inVersions(UNAUTHORIZED_LATER, ['cis-3.0', 'cis-4.0', 'cis-5.0']),
  },
  'CloudWatch.3': {
    'cis-1.2': { text: NO_MFA },
    ...inVersions({ text: NO_MFA, alternatives: [NO_MFA_IAM_USER_SUCCESS] }, FROM_V1_4),
  },
  'CloudWatch.4': inVersions({ text: IAM_POLICY }),
  'CloudWatch.5': inVersions({ text: CLOUDTRAIL_CONFIG }),
  'CloudWatch.6': inVersions({ text: CONSOLE_AUTH_FAILURES }),
  'CloudWatch.7': inVersions({ text: CMK_DISABLE_OR_DELETE }),
  'CloudWatch.8': inVersions({ text: S3_BUCKET_POLICY }),
  'CloudWatch.9': inVersions({ text: CONFIG_CHANGES }),
  'CloudWatch.10': inVersions({ text: SECURITY_GROUPS }),
  'CloudWatch.11': inVersions({ text: NACLS }),
  'CloudWatch.12': inVersions({ text: NETWORK_GATEWAYS }),
  'CloudWatch.13': inVersions({ text: ROUTE_TABLES }),
  'CloudWatch.14': inVersions({ text: VPCS }),
  'TC.OrganizationsChanges': inVersions({ text: ORGANIZATIONS }, FROM_V1_4),
};

/**
 * The version whose patterns judge when no CIS version was chosen (the default, Security Hub numbering):
 * Security Hub's CloudWatch.1–14 come from its CIS v1.2.0 standard and print v1.2's patterns, and those
 * are the broadest (a filter that catches every event of v1.2's pattern catches every event of each later
 * version's; a test proves it per check), so the default never passes a filter a CIS version would fail.
 */
export const DEFAULT_CIS_VERSION: CisVersion = 'cis-1.2';

/** The pattern a monitoring check is judged against, and the benchmark version that prints it. */
export interface JudgedPattern {
  controlId: string;
  version: CisVersion;
  pattern: CisPattern;
  /** "CIS v1.2.0", as reports name the benchmark. */
  label: string;
}

/** "CIS v4.0.1": the version as the framework's title gives it. */
export function cisVersionLabel(version: CisVersion): string {
  const title = FRAMEWORK_DEFINITIONS.find((f) => f.id === version)?.title ?? '';
  return `CIS ${/v\d+(\.\d+)+$/.exec(title)?.[0] ?? version}`;
}

/**
 * The pattern of `frameworkId` (a CIS version the user chose with --framework) for the check; without one
 * (Security Hub, or no framework), DEFAULT_CIS_VERSION's. A version that does not have the check (v1.2 has
 * no Organizations item) gives way to the earliest version that does, the broadest. Undefined for a check
 * no version prints.
 */
export function judgedPattern(controlId: string, frameworkId: string | undefined): JudgedPattern | undefined {
  const printed = CIS_MONITORING_PATTERNS[controlId];
  if (!printed) return undefined;
  const chosen = CIS_VERSIONS.find((v) => v === frameworkId) ?? DEFAULT_CIS_VERSION;
  const version = [chosen, ...CIS_VERSIONS].find((v) => printed[v] !== undefined);
  const pattern = version ? printed[version] : undefined;
  return version && pattern ? { controlId, version, pattern, label: cisVersionLabel(version) } : undefined;
}

/** The CIS versions whose pattern for the check a filter catches in full (for saying which one it fits). */
export function versionsCovered(controlId: string, filterText: string): CisVersion[] {
  const printed = CIS_MONITORING_PATTERNS[controlId] ?? {};
  return CIS_VERSIONS.filter((v) => {
    const pattern = printed[v];
    return pattern !== undefined && cisCoverage(filterText, pattern).verdict === 'covers';
  });
}

/**
 * The meanings a filter may cover to satisfy a check in one version: the pattern's own and those of its
 * alternatives. Throws on a malformed table entry, which is a bug here, not bad input.
 */
export function cisMeanings(pattern: CisPattern): Expression[] {
  return [pattern.meaning ?? pattern.text, ...(pattern.alternatives ?? [])].map((text) => {
    const parsed = parseFilterPattern(text);
    if (!parsed.ok) throw new Error(`CIS pattern table: ${parsed.message} in ${text}`);
    return parsed.pattern.expression;
  });
}

/**
 * Does a metric filter's pattern catch every event the check's CIS pattern (or one of its accepted
 * alternatives) catches? Misses are those of the main pattern, which is the one a fix would write.
 */
export function cisCoverage(candidateText: string, pattern: CisPattern): CoverageVerdict {
  const parsed = parseFilterPattern(candidateText);
  if (!parsed.ok) return { verdict: 'unparseable', reason: parsed.message };
  const verdicts = cisMeanings(pattern).map((meaning) => coverage(parsed.pattern, meaning));
  return verdicts.find((v) => v.verdict === 'covers') ?? (verdicts[0] as CoverageVerdict);
}
