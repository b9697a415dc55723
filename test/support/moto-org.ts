/**
 * Builds an AWS Organization in a running moto through the real API, for `--org` tests and the
 * benchmark: the organization (all features) in the management account, nested organizational units,
 * member accounts placed in them, an organization trail in the management account with its bucket (and
 * optionally a key), and for chosen members a trail of their own, made through the member's
 * OrganizationAccountAccessRole the way an administrator would. Calls run concurrently but bounded (moto
 * is one Python process): 100 members take about 8 s; 1,000, half of them with a trail of their own, took
 * 144 s on the shared 2-core machine under a load average of 13.
 *
 * moto facts this relies on (docs/aws-emulator.md, organizations-and-service.md): CreateAccount answers
 * SUCCEEDED at once and creates OrganizationAccountAccessRole in the new account; AssumeRole with the
 * management account's keys returns keys that act in the member; `IsOrganizationTrail` is only stored (moto
 * does not show the trail to members).
 */
import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DescribeCreateAccountStatusCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { CreateAccountStatus } from '@aws-sdk/client-organizations';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { cloudTrailBucketPolicy, cloudTrailKeyPolicy } from '../../src/fixes/policies.js';
import { mapLimit } from '../../src/util/concurrency.js';
import { ACCOUNT, TEST_CREDENTIALS, seedClients } from './aws.js';
import type { MotoCredentials, SeedClients } from './aws.js';
import type { MotoServer } from './moto.js';
import { createBucket, createKey } from './scenarios/builders.js';

/** The role moto's CreateAccount makes in every new member, trusted by the management account. */
export const MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** An organizational unit and the units nested in it. Names key the result, so they must be unique. */
export interface OuSpec {
  name: string;
  children?: readonly OuSpec[];
}

export interface OrgTrailSpec {
  /** Default `org-trail`. */
  name?: string;
  /** Home Region; default us-east-1. */
  region?: string;
  /** Encrypt with a KMS key made for it in the management account. Default false. */
  kms?: boolean;
  /** Default true. */
  logFileValidation?: boolean;
  /** Start logging, then stop it (as after someone stopped the trail). Default false. */
  stopped?: boolean;
}

export interface MemberTrailSpec {
  /** Default `<member name>-trail`. */
  name?: string;
  region?: string;
  /** Default true. */
  multiRegion?: boolean;
  /** Default true. */
  logging?: boolean;
  /** Default true. */
  logFileValidation?: boolean;
}

export interface OrganizationSpec {
  /** How many member accounts to create (the management account is not counted). */
  members: number;
  /** Units under the root, nested as given. */
  ous?: readonly OuSpec[];
  /** The unit (by name) member `index` goes into; undefined keeps it in the root. Default: the root. */
  placeMember?: (index: number) => string | undefined;
  /** The organization trail; false for none. Default: one, with default settings. */
  orgTrail?: OrgTrailSpec | false;
  /** Which members get a trail of their own (made through their role); undefined: none. */
  memberTrail?: (index: number) => MemberTrailSpec | undefined;
  /**
   * Which members are closed (CloseAccount: moto marks them SUSPENDED at once), after their trails are made.
   * moto still lets AssumeRole into a suspended account: a test of the role failing needs IAM enforcement.
   */
  suspendMember?: (index: number) => boolean;
  /** Member names: default `member-<index>` counted from 1, zero-padded to the width of the count. */
  memberName?: (index: number) => string;
  /** API calls in flight at once. Default 8 (moto is one Python process). */
  concurrency?: number;
}

export interface OrgMember {
  id: string;
  name: string;
  email: string;
  /** The unit's name, or undefined in the root. */
  ou: string | undefined;
  /** The ARN of the member's own trail, when it got one. */
  trailArn?: string;
  /** As ListAccounts gives it: SUSPENDED for a member closed with `suspendMember`. */
  status: 'ACTIVE' | 'SUSPENDED';
}

export interface OrgTrail {
  name: string;
  arn: string;
  region: string;
  bucket: string;
  kmsKeyId?: string;
  logging: boolean;
}

export interface OrganizationFixture {
  managementAccount: string;
  organizationId: string;
  rootId: string;
  /** Unit name → id (`ou-…`). */
  ous: Record<string, string>;
  members: OrgMember[];
  orgTrail: OrgTrail | undefined;
}

/** Clients in the management account (moto's default account, the test keys). */
function organizationsClient(moto: MotoServer, credentials: MotoCredentials = TEST_CREDENTIALS) {
  return new OrganizationsClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials,
    maxAttempts: 1,
  });
}

/**
 * Keys that act in `accountId` through `roleName`, assumed with `credentials` (default: the management
 * account's test keys), as trailcheck does in org mode.
 */
export async function assumeMemberRole(
  moto: MotoServer,
  accountId: string,
  roleName = MEMBER_ROLE,
  credentials: MotoCredentials = TEST_CREDENTIALS,
): Promise<MotoCredentials> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'trailcheck-fixture',
    }),
  );
  const keys = out.Credentials;
  if (!keys?.AccessKeyId || !keys.SecretAccessKey || !keys.SessionToken)
    throw new Error(`moto returned no credentials for ${roleName} in ${accountId}`);
  return {
    accessKeyId: keys.AccessKeyId,
    secretAccessKey: keys.SecretAccessKey,
    sessionToken: keys.SessionToken,
  };
}

/** Seeding clients acting in a member account through its role. */
export async function memberClients(
  moto: MotoServer,
  accountId: string,
  roleName = MEMBER_ROLE,
): Promise<SeedClients> {
  return seedClients(moto, await assumeMemberRole(moto, accountId, roleName));
}

/**
 * The bucket policy AWS asks for an organization trail: CloudTrail may write the management account's
 * logs and every member's (under AWSLogs/<organization id>/), for this trail only.
 */
export function organizationTrailBucketPolicy(
  account: string,
  organizationId: string,
  bucket: string,
  trailArn: string,
): string {
  const policy = JSON.parse(cloudTrailBucketPolicy('aws', account, bucket, trailArn)) as {
    Statement: Array<Record<string, unknown>>;
  };
  policy.Statement.push({
    Sid: 'AWSCloudTrailOrganizationWrite',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/AWSLogs/${organizationId}/*`,
    Condition: {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
    },
  });
  return JSON.stringify(policy);
}

async function createAccount(
  organizations: OrganizationsClient,
  name: string,
  email: string,
): Promise<string> {
  const created = await organizations.send(
    new CreateAccountCommand({ AccountName: name, Email: email, RoleName: MEMBER_ROLE }),
  );
  let status: CreateAccountStatus | undefined = created.CreateAccountStatus;
  // moto answers SUCCEEDED at once; real AWS (and a future moto) answers IN_PROGRESS: ask until it is done.
  for (let attempt = 0; status?.State === 'IN_PROGRESS' && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const described = await organizations.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id }),
    );
    status = described.CreateAccountStatus;
  }
  if (status?.State !== 'SUCCEEDED' || !status.AccountId)
    throw new Error(
      `creating account ${name} ended ${status?.State ?? 'with no status'}: ${status?.FailureReason ?? ''}`,
    );
  return status.AccountId;
}

async function createUnits(
  organizations: OrganizationsClient,
  parentId: string,
  specs: readonly OuSpec[],
  into: Record<string, string>,
): Promise<void> {
  for (const spec of specs) {
    if (into[spec.name] !== undefined) throw new Error(`organizational unit ${spec.name} is named twice`);
    const out = await organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: spec.name }),
    );
    const id = out.OrganizationalUnit?.Id;
    if (!id) throw new Error(`moto returned no id for organizational unit ${spec.name}`);
    into[spec.name] = id;
    await createUnits(organizations, id, spec.children ?? [], into);
  }
}

async function createOrgTrail(
  aws: SeedClients,
  organizationId: string,
  spec: OrgTrailSpec,
): Promise<OrgTrail> {
  const name = spec.name ?? 'org-trail';
  const region = spec.region ?? 'us-east-1';
  const bucket = `${name.toLowerCase()}-${organizationId.toLowerCase()}-logs`;
  const arn = `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
  await createBucket(aws, bucket, region);
  await aws.s3(region).send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: organizationTrailBucketPolicy(ACCOUNT, organizationId, bucket, arn),
    }),
  );
  const kmsKeyId = spec.kms
    ? await createKey(aws, `alias/${name}`, region, cloudTrailKeyPolicy('aws', ACCOUNT, arn))
    : undefined;
  const cloudtrail = aws.cloudtrail(region);
  await cloudtrail.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: spec.logFileValidation ?? true,
      ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
    }),
  );
  await cloudtrail.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
    }),
  );
  // By name: moto 5.2.1 cannot start or stop logging by ARN.
  await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  if (spec.stopped) await cloudtrail.send(new StopLoggingCommand({ Name: name }));
  return {
    name,
    arn,
    region,
    bucket,
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    logging: !spec.stopped,
  };
}

/** A member's own trail, made with keys acting in the member (its bucket and ARN are the member's). */
async function createMemberTrail(
  moto: MotoServer,
  member: OrgMember,
  spec: MemberTrailSpec,
): Promise<string> {
  const aws = await memberClients(moto, member.id);
  const name = spec.name ?? `${member.name}-trail`;
  const region = spec.region ?? 'us-east-1';
  const bucket = `${name.toLowerCase()}-${member.id}-logs`;
  const arn = `arn:aws:cloudtrail:${region}:${member.id}:trail/${name}`;
  await createBucket(aws, bucket, region);
  await aws.s3(region).send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: cloudTrailBucketPolicy('aws', member.id, bucket, arn),
    }),
  );
  const cloudtrail = aws.cloudtrail(region);
  const out = await cloudtrail.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      IsMultiRegionTrail: spec.multiRegion ?? true,
      EnableLogFileValidation: spec.logFileValidation ?? true,
    }),
  );
  await cloudtrail.send(
    new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
    }),
  );
  if (spec.logging ?? true) await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  return out.TrailARN ?? arn;
}

/**
 * Builds the organization in a freshly reset moto, signed as the management account (moto's default
 * account with the test keys). Member ids come from moto's seeded random, so a reset with the same seed
 * gives the same ids.
 */
export async function buildOrganization(
  moto: MotoServer,
  spec: OrganizationSpec,
): Promise<OrganizationFixture> {
  const concurrency = spec.concurrency ?? 8;
  const organizations = organizationsClient(moto);
  const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const organizationId = created.Organization?.Id;
  const managementAccount = created.Organization?.MasterAccountId ?? ACCOUNT;
  if (!organizationId) throw new Error('moto returned no organization id');
  const roots = await organizations.send(new ListRootsCommand({}));
  const rootId = roots.Roots?.[0]?.Id;
  if (!rootId) throw new Error('moto returned no organization root');

  const ous: Record<string, string> = {};
  await createUnits(organizations, rootId, spec.ous ?? [], ous);

  const width = String(spec.members).length;
  const nameOf = spec.memberName ?? ((index: number) => `member-${String(index + 1).padStart(width, '0')}`);
  const indexes = Array.from({ length: spec.members }, (_, index) => index);
  const members = await mapLimit(indexes, concurrency, async (index): Promise<OrgMember> => {
    const name = nameOf(index);
    const email = `${name}@example.com`;
    const id = await createAccount(organizations, name, email);
    const ou = spec.placeMember?.(index);
    if (ou !== undefined) {
      const ouId = ous[ou];
      if (ouId === undefined) throw new Error(`member ${name} is placed in unknown unit ${ou}`);
      await organizations.send(
        new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouId }),
      );
    }
    return { id, name, email, ou, status: 'ACTIVE' };
  });

  const management = seedClients(moto);
  const orgTrail =
    spec.orgTrail === false
      ? undefined
      : await createOrgTrail(management, organizationId, spec.orgTrail ?? {});

  if (spec.memberTrail) {
    const chooseTrail = spec.memberTrail;
    await mapLimit(members, concurrency, async (member, index) => {
      const trail = chooseTrail(index);
      if (trail !== undefined) member.trailArn = await createMemberTrail(moto, member, trail);
    });
  }
  if (spec.suspendMember) {
    const suspend = spec.suspendMember;
    await mapLimit(members, concurrency, async (member, index) => {
      if (!suspend(index)) return;
      await organizations.send(new CloseAccountCommand({ AccountId: member.id }));
      member.status = 'SUSPENDED';
    });
  }
  return { managementAccount, organizationId, rootId, ous, members, orgTrail };
}
