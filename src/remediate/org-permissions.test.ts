import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  ORGANIZATION_ACCESS_ROLE,
  parseAccountId,
  parseExternalId,
  parseRoleName,
} from '../aws/member-role.js';
import { scanActions } from '../controls/scan-policy.js';
import { CONTROLS, findControl } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import { UsageError } from '../util/errors.js';
import {
  ORGANIZATIONS_READ_ACTIONS,
  auditRoleTemplate,
  auditRoleTemplateWithCommands,
  orgPolicies,
} from './org-permissions.js';
import { scanPolicy } from './permissions.js';

const SEED = ['CloudTrail.4', 'CloudTrail.7'].map((id) => findControl(id) as ControlDefinition);

/** Only reads: a write or a wildcard action in an audit role would be more than it needs. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/;

describe('iam-policy --for org: the policies', () => {
  it('the management account lists the organization, assumes only the named role, and scans itself', () => {
    const { managementPolicy } = orgPolicies(CONTROLS, { roleName: 'TrailcheckAudit' });
    const [orgs, assume, scan, ...rest] = managementPolicy.Statement;
    assert.deepEqual(rest, []);
    assert.deepEqual(orgs?.Action, [
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListRoots',
    ]);
    assert.deepEqual(assume?.Action, ['sts:AssumeRole']);
    assert.equal(assume?.Resource, 'arn:aws:iam::*:role/TrailcheckAudit');
    assert.deepEqual(scan, scanPolicy(CONTROLS).Statement[0]);
    const all = managementPolicy.Statement.flatMap((s) => s.Action);
    assert.ok(
      all.every((a) => READ_ONLY.test(a) || a === 'sts:AssumeRole'),
      all.join(' '),
    );
    assert.deepEqual(orgs?.Action, [...ORGANIZATIONS_READ_ACTIONS]);
  });

  it('the scan part follows the chosen controls, exactly as --for scan does', () => {
    const { managementPolicy, memberPolicy } = orgPolicies(SEED, { roleName: 'Audit' });
    assert.deepEqual(memberPolicy, scanPolicy(SEED));
    assert.deepEqual(managementPolicy.Statement[2]?.Action, scanActions(SEED));
    assert.ok(!memberPolicy.Statement[0]?.Action.includes('kms:GetKeyPolicy'), 'no read the controls skip');
  });

  it('the member role only reads, and trusts the management account, with the external id when given', () => {
    const without = orgPolicies(CONTROLS, { roleName: 'TrailcheckAudit' });
    assert.ok(without.memberPolicy.Statement.every((s) => s.Action.every((a) => READ_ONLY.test(a))));
    assert.deepEqual(without.memberTrustPolicy.Statement, [
      {
        Sid: 'TrailcheckManagementAccount',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::MANAGEMENT_ACCOUNT_ID:root' },
        Action: 'sts:AssumeRole',
      },
    ]);
    const withId = orgPolicies(CONTROLS, {
      roleName: 'TrailcheckAudit',
      externalId: 'org-audit-7',
      managementAccountId: '111122223333',
      partition: 'aws-us-gov',
    });
    assert.deepEqual(withId.memberTrustPolicy.Statement[0]?.Principal, {
      AWS: 'arn:aws-us-gov:iam::111122223333:root',
    });
    assert.deepEqual(withId.memberTrustPolicy.Statement[0]?.Condition, {
      StringEquals: { 'sts:ExternalId': 'org-audit-7' },
    });
    assert.equal(
      withId.scanCommand,
      'trailcheck scan --org --role-name TrailcheckAudit --external-id org-audit-7',
    );
    assert.equal(
      orgPolicies(CONTROLS, { roleName: 'A', externalId: '-x' }).scanCommand,
      'trailcheck scan --org --role-name A --external-id=-x',
    );
  });

  it('no template for OrganizationAccountAccessRole, which Organizations created already', () => {
    const policies = orgPolicies(CONTROLS, { roleName: ORGANIZATION_ACCESS_ROLE });
    assert.equal(policies.stackSetTemplate, undefined);
    assert.equal(policies.deployCommands, undefined);
    assert.equal(
      policies.managementPolicy.Statement[1]?.Resource,
      'arn:aws:iam::*:role/OrganizationAccountAccessRole',
    );
  });
});

interface Template {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; Default?: string; AllowedPattern: string }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

describe('iam-policy --for org: the StackSet template', () => {
  it('is YAML with one IAM role named by --role-name, the member policy inline, no account id in it', () => {
    const text = auditRoleTemplate(SEED, 'TrailcheckAudit');
    const template = parse(text) as Template;
    assert.equal(template.AWSTemplateFormatVersion, '2010-09-09', 'a string, not a YAML date');
    assert.deepEqual(Object.keys(template.Parameters), ['ManagementAccountId', 'ExternalId']);
    assert.equal(template.Parameters.ExternalId?.Default, '');
    const resources = Object.values(template.Resources);
    assert.deepEqual(
      resources.map((r) => r.Type),
      ['AWS::IAM::Role'],
    );
    const role = resources[0]!.Properties;
    assert.equal(role.RoleName, 'TrailcheckAudit');
    assert.deepEqual(role.Policies, [{ PolicyName: 'trailcheck-scan', PolicyDocument: scanPolicy(SEED) }]);
    assert.doesNotMatch(text, /\d{12}/, 'the account comes from the parameter');
    const trust = (role.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> })
      .Statement[0];
    assert.deepEqual(trust?.Principal, {
      AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${ManagementAccountId}:root' },
    });
    assert.deepEqual(trust?.Condition, {
      'Fn::If': [
        'HasExternalId',
        { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });

  it('its parameters accept what the CLI accepts and refuse the rest', () => {
    const template = parse(auditRoleTemplate(SEED, 'A')) as Template;
    const account = new RegExp(template.Parameters.ManagementAccountId!.AllowedPattern);
    const externalId = new RegExp(template.Parameters.ExternalId!.AllowedPattern);
    assert.ok(account.test('111122223333') && !account.test('MANAGEMENT_ACCOUNT_ID'));
    for (const id of ['', 'ab', 'a+=,.@:/_-b', 'x'.repeat(1224)]) assert.ok(externalId.test(id), id);
    for (const id of ['a', 'has space', "quo'te", 'x'.repeat(1225)]) assert.ok(!externalId.test(id), id);
  });

  it('the cloudformation form carries the StackSet commands in comments, parameters as JSON', () => {
    const text = auditRoleTemplateWithCommands(SEED, {
      roleName: 'TrailcheckAudit',
      externalId: 'a,b',
      managementAccountId: '111122223333',
    });
    const createSet = text.split('\n').find((l) => l.includes('create-stack-set')) ?? '';
    assert.match(createSet, /^# {3}aws cloudformation create-stack-set /);
    assert.match(createSet, / --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,/);
    assert.match(createSet, / --capabilities CAPABILITY_NAMED_IAM /);
    const parameters = /--parameters '([^']*)'/.exec(createSet)?.[1] ?? '';
    assert.deepEqual(JSON.parse(parameters), [
      { ParameterKey: 'ManagementAccountId', ParameterValue: '111122223333' },
      { ParameterKey: 'ExternalId', ParameterValue: 'a,b' },
    ]);
    assert.match(
      text,
      /create-stack-instances .*--deployment-targets OrganizationalUnitIds=.* --regions us-east-1/,
    );
    assert.equal((parse(text) as Template).Resources.AuditRole?.Type, 'AWS::IAM::Role');
  });
});

describe('the member role flags', () => {
  it('take what IAM and STS take, and refuse the rest in one line', () => {
    assert.equal(parseRoleName('Trailcheck+Audit@x'), 'Trailcheck+Audit@x');
    for (const bad of ['', 'a b', 'x'.repeat(65), 'role/Path'])
      assert.throws(
        () => parseRoleName(bad),
        (e) => e instanceof UsageError && /--role-name/.test(e.message),
      );
    assert.equal(parseExternalId('urn:org/1'), 'urn:org/1');
    for (const bad of ['a', '', 'a b', "it's", 'x'.repeat(1225)])
      assert.throws(() => parseExternalId(bad), UsageError);
    assert.equal(parseAccountId('111122223333', '--management-account'), '111122223333');
    assert.throws(() => parseAccountId('11112222333', '--management-account'), /12-digit/);
  });
});
