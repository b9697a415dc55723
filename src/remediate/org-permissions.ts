/**
 * What `trailcheck scan --org` needs: the management account's (or delegated administrator's) policy, the
 * read-only audit role in every member (its policy and trust), and a CloudFormation template that creates
 * that role in every member as a service-managed StackSet.
 */
import { Document, visit } from 'yaml';
import { ORGANIZATION_ACCESS_ROLE } from '../aws/member-role.js';
import type { ControlDefinition } from '../controls/types.js';
import { scanPolicy } from './permissions.js';
import type { PolicyDocument } from './permissions.js';

/**
 * The Organizations reads `scan --org` makes (src/collect/organization.ts): the organization, and its
 * accounts, or with --ou the units and accounts below each. Not ListChildren, which it does not call.
 */
export const ORGANIZATIONS_READ_ACTIONS: readonly string[] = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListRoots',
];

/** Stands for the management account's id in a trust policy until `--management-account` gives it. */
export const MANAGEMENT_ACCOUNT_PLACEHOLDER = 'MANAGEMENT_ACCOUNT_ID';

/** The file name the deploy commands expect the template in. */
export const STACK_SET_TEMPLATE_FILE = 'trailcheck-audit-role.yaml';
export const STACK_SET_NAME = 'trailcheck-audit-role';

export interface OrgAccessOptions {
  /** The member role `scan --org` assumes (already checked with parseRoleName). */
  roleName: string;
  externalId?: string;
  managementAccountId?: string;
  partition?: string;
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Sid: string;
    Effect: 'Allow';
    Principal: { AWS: string };
    Action: 'sts:AssumeRole';
    Condition?: Record<string, Record<string, string>>;
  }>;
}

export interface OrgPolicies {
  roleName: string;
  /** The command that scans the organization through this role. */
  scanCommand: string;
  managementPolicy: PolicyDocument;
  memberPolicy: PolicyDocument;
  memberTrustPolicy: TrustPolicyDocument;
  /** Absent for OrganizationAccountAccessRole: Organizations created it already, as an administrator. */
  stackSetTemplate?: string;
  deployCommands?: string[];
}

export function memberRoleArnPattern(roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::*:role/${roleName}`;
}

/** List the organization, assume the member role (in any account: only members trust it), scan itself. */
export function managementPolicy(
  controls: readonly ControlDefinition[],
  options: OrgAccessOptions,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrailcheckListOrganization',
        Effect: 'Allow',
        Action: [...ORGANIZATIONS_READ_ACTIONS],
        Resource: '*',
      },
      {
        Sid: 'TrailcheckAssumeMemberRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: memberRoleArnPattern(options.roleName, options.partition),
      },
      // The management account is scanned with the caller's own credentials, not through the role.
      ...scanPolicy(controls).Statement,
    ],
  };
}

/** The member role's permissions: the scan's reads, nothing else. */
export function memberPolicy(controls: readonly ControlDefinition[]): PolicyDocument {
  return scanPolicy(controls);
}

const externalIdCondition = (externalId: string) => ({ StringEquals: { 'sts:ExternalId': externalId } });

/** Trusts the management account only, and only with the external id when one is given. */
export function memberTrustPolicy(options: OrgAccessOptions): TrustPolicyDocument {
  const account = options.managementAccountId ?? MANAGEMENT_ACCOUNT_PLACEHOLDER;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrailcheckManagementAccount',
        Effect: 'Allow',
        Principal: { AWS: `arn:${options.partition ?? 'aws'}:iam::${account}:root` },
        Action: 'sts:AssumeRole',
        ...(options.externalId !== undefined ? { Condition: externalIdCondition(options.externalId) } : {}),
      },
    ],
  };
}

/**
 * The audit role as a CloudFormation template for a StackSet: no account id in it (the parameters carry
 * the management account and external id), the partition from the stack, an empty ExternalId meaning none.
 */
export function auditRoleTemplate(
  controls: readonly ControlDefinition[],
  roleName: string,
  header: readonly string[] = [],
): string {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `trailcheck's read-only audit role ${roleName}, assumed by the management account to scan this account`,
    Parameters: {
      ManagementAccountId: {
        Type: 'String',
        Description: 'the account trailcheck scan --org runs in (management or delegated administrator)',
        AllowedPattern: '^\\d{12}$',
        ConstraintDescription: 'a 12-digit AWS account id',
      },
      ExternalId: {
        Type: 'String',
        Description: 'the --external-id scan --org passes; empty for none',
        Default: '',
        AllowedPattern: '^$|^[\\w+=,.@:/-]{2,1224}$',
        ConstraintDescription: 'empty, or 2 to 1224 letters, digits or +=,.@:/_-',
      },
    },
    Conditions: {
      HasExternalId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] },
    },
    Resources: {
      AuditRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: roleName,
          Description: 'trailcheck scan --org: read-only access to the audit trail settings',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'TrailcheckManagementAccount',
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${ManagementAccountId}:root' } },
                Action: 'sts:AssumeRole',
                Condition: {
                  'Fn::If': [
                    'HasExternalId',
                    { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
                    { Ref: 'AWS::NoValue' },
                  ],
                },
              },
            ],
          },
          Policies: [{ PolicyName: 'trailcheck-scan', PolicyDocument: memberPolicy(controls) }],
        },
      },
    },
    Outputs: {
      AuditRoleArn: {
        Description: 'the role scan --org assumes',
        Value: { 'Fn::GetAtt': ['AuditRole', 'Arn'] },
      },
    },
  };
  const doc = new Document(template);
  // Quoted, so no YAML 1.1 reader takes "2010-09-09" for a date.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && /^[\d.:-]+$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  doc.commentBefore = [
    ` ${roleName}: trailcheck's read-only audit role, for every member account (a StackSet).`,
    ...header.map((line) => ` ${line}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * Creates the StackSet (service-managed: it reaches new accounts by itself) and deploys it to the whole
 * organization. IAM is global, so one Region is enough. Parameters as JSON, since an external id may hold
 * a comma, which the AWS CLI's shorthand would split; none of its characters needs quoting in '…'.
 */
export function stackSetCommands(options: OrgAccessOptions): string[] {
  const parameters = JSON.stringify([
    {
      ParameterKey: 'ManagementAccountId',
      ParameterValue: options.managementAccountId ?? MANAGEMENT_ACCOUNT_PLACEHOLDER,
    },
    { ParameterKey: 'ExternalId', ParameterValue: options.externalId ?? '' },
  ]);
  return [
    `aws cloudformation create-stack-set --stack-set-name ${STACK_SET_NAME} --template-body file://${STACK_SET_TEMPLATE_FILE} --capabilities CAPABILITY_NAMED_IAM --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --parameters '${parameters}'`,
    `aws cloudformation create-stack-instances --stack-set-name ${STACK_SET_NAME} --deployment-targets OrganizationalUnitIds=$(aws organizations list-roots --query 'Roots[0].Id' --output text) --regions us-east-1`,
  ];
}

export function scanCommand(options: OrgAccessOptions): string {
  const id = options.externalId;
  // An id that starts with '-' would read as a flag after a space.
  const externalId =
    id === undefined ? '' : id.startsWith('-') ? ` --external-id=${id}` : ` --external-id ${id}`;
  return `trailcheck scan --org --role-name ${options.roleName}${externalId}`;
}

export function orgPolicies(controls: readonly ControlDefinition[], options: OrgAccessOptions): OrgPolicies {
  const policies: OrgPolicies = {
    roleName: options.roleName,
    scanCommand: scanCommand(options),
    managementPolicy: managementPolicy(controls, options),
    memberPolicy: memberPolicy(controls),
    memberTrustPolicy: memberTrustPolicy(options),
  };
  if (options.roleName === ORGANIZATION_ACCESS_ROLE) return policies;
  return {
    ...policies,
    stackSetTemplate: auditRoleTemplate(controls, options.roleName),
    deployCommands: stackSetCommands(options),
  };
}

/** The template alone, its deploy commands in comments above it: `-o trailcheck-audit-role.yaml`. */
export function auditRoleTemplateWithCommands(
  controls: readonly ControlDefinition[],
  options: OrgAccessOptions,
): string {
  return auditRoleTemplate(controls, options.roleName, [
    `Save as ${STACK_SET_TEMPLATE_FILE}; in the management account (a delegated administrator adds`,
    '--call-as DELEGATED_ADMIN to both), deploy it to every member account with:',
    ...stackSetCommands(options).map((command) => `  ${command}`),
    `then scan: ${scanCommand(options)}`,
  ]);
}
