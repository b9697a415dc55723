/**
 * The plan as CloudFormation: one YAML template per Region (a stack lives in one Region), with the end
 * state the plan's calls leave. New resources are plain resources; a trail or bucket that exists already
 * needs a resource import (an IMPORT change set) before a stack can change it, which each such resource
 * says in a comment, and all of them keep `DeletionPolicy: Retain`.
 */
import { Document, isCollection, isMap, isPair, isScalar } from 'yaml';
import type { Snapshot } from '../snapshot/schema.js';
import type { Plan, PlanStep } from './plan.js';
import type { Targets } from './targets.js';
import { placeholderOutput, targetsOf } from './targets.js';

interface Resource {
  logical: string;
  comment?: string;
  body: Record<string, unknown>;
}

function logicalId(name: string, used: Set<string>): string {
  const base =
    name
      .split(/[^A-Za-z0-9]+/)
      .filter((w) => w !== '')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('')
      .slice(0, 200) || 'Resource';
  const start = /^[A-Za-z]/.test(base) ? base : `R${base}`;
  let id = start;
  for (let n = 2; used.has(id); n++) id = `${start}${n}`;
  used.add(id);
  return id;
}

function document(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/**
 * Quotes every string scalar, key or value, made only of digits, dots, colons and dashes, so no YAML 1.1
 * reader takes "2012-10-17" for a date or "123456789012" for a number. A plain walk of the tree: yaml's
 * `visit` copies the path for every node, which was most of the cost of a large plan's templates.
 */
function quoteNumberLike(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && /^[\d.:-]+$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
  } else if (isPair(node)) {
    quoteNumberLike(node.key);
    quoteNumberLike(node.value);
  } else if (isCollection(node)) {
    for (const item of node.items) quoteNumberLike(item);
  }
}

const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

export function renderCloudFormation(targets: Targets, title: string): string {
  const byRegion = new Map<string, Resource[]>();
  const parameters = new Map<string, Map<string, Record<string, unknown>>>();
  const used = new Set<string>();
  const add = (region: string, resource: Resource) => {
    const list = byRegion.get(region) ?? [];
    list.push(resource);
    byRegion.set(region, list);
  };
  const bucketIds = new Map<string, { logical: string; region: string }>();
  const keyIds = new Map<string, { logical: string; region: string }>();
  const roleIds = new Map<string, string>();
  const groupIds = new Map<string, string>();
  /** A value defined in another Region's template becomes a parameter of this one. */
  const crossRegion = (region: string, name: string, description: string) => {
    const params = parameters.get(region) ?? new Map<string, Record<string, unknown>>();
    params.set(name, { Type: 'String', Description: description });
    parameters.set(region, params);
    return { Ref: name };
  };
  const bucketRef = (name: string, region: string): unknown => {
    const target = bucketIds.get(name);
    if (!target) return name;
    return target.region === region ? { Ref: target.logical } : name;
  };

  for (const b of targets.buckets.filter((x) => x.created)) {
    bucketIds.set(b.name, { logical: logicalId(b.name, used), region: b.region });
  }
  for (const key of targets.keys) {
    const logical = logicalId(key.alias?.replace(/^alias\//, '') ?? key.output, used);
    keyIds.set(key.output, { logical, region: key.region });
    add(key.region, {
      logical,
      comment: 'new KMS key: kept even if the stack is deleted, since log files may be encrypted with it',
      body: {
        Type: 'AWS::KMS::Key',
        ...RETAIN,
        Properties: {
          Description: key.description,
          EnableKeyRotation: key.rotation,
          KeyPolicy: document(key.policy),
        },
      },
    });
    if (key.alias)
      add(key.region, {
        logical: logicalId(`${logical}Alias`, used),
        body: {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: key.alias, TargetKeyId: { Ref: logical } },
        },
      });
  }
  for (const group of targets.logGroups) {
    const logical = logicalId(group.name, used);
    groupIds.set(`${group.region}:${group.name}`, logical);
    add(group.region, {
      logical,
      body: { Type: 'AWS::Logs::LogGroup', ...RETAIN, Properties: { LogGroupName: group.name } },
    });
  }
  const topicIds = new Map<string, string>();
  for (const topic of targets.topics) {
    const logical = logicalId(topic.name, used);
    topicIds.set(`${topic.region}:${topic.name}`, logical);
    add(topic.region, {
      logical,
      comment: 'new SNS topic',
      body: { Type: 'AWS::SNS::Topic', Properties: { TopicName: topic.name } },
    });
  }
  /** A topic ARN, or a Ref to the new topic (a Ref of a topic is its ARN) in the same template. */
  const topicRef = (arn: string, region: string): unknown => {
    const [, , , topicRegion = '', , name = ''] = arn.split(':');
    const logical = topicIds.get(`${topicRegion}:${name}`);
    return logical && topicRegion === region ? { Ref: logical } : arn;
  };
  for (const s of targets.subscriptions)
    add(s.region, {
      logical: logicalId(`${s.topicArn.split(':').pop() ?? 'topic'}-${s.protocol}-subscription`, used),
      ...(s.protocol.startsWith('email')
        ? { comment: 'stays pending until the address confirms the e-mail AWS sends' }
        : {}),
      body: {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: topicRef(s.topicArn, s.region), Protocol: s.protocol, Endpoint: s.endpoint },
      },
    });
  for (const f of targets.flowLogs)
    for (const vpc of f.vpcIds)
      add(f.region, {
        logical: logicalId(`${vpc}-flow-log`, used),
        comment: `new flow log of VPC ${vpc}`,
        body: {
          Type: 'AWS::EC2::FlowLog',
          Properties: {
            ResourceType: 'VPC',
            ResourceId: vpc,
            TrafficType: f.trafficType,
            LogDestinationType: 's3',
            LogDestination: f.destination,
          },
        },
      });
  for (const role of targets.roles) {
    const logical = logicalId(role.name, used);
    roleIds.set(role.name, logical);
    add(targets.controlRegion, {
      logical,
      comment: 'a named IAM role: deploy with --capabilities CAPABILITY_NAMED_IAM',
      body: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: role.name,
          Description: role.description,
          AssumeRolePolicyDocument: document(role.trust),
          Policies: role.policies.map((p) => ({ PolicyName: p.name, PolicyDocument: document(p.document) })),
        },
      },
    });
  }
  for (const f of targets.metricFilters) {
    const group = groupIds.get(`${f.region}:${f.logGroupName}`);
    add(f.region, {
      logical: logicalId(f.filterName, used),
      body: {
        Type: 'AWS::Logs::MetricFilter',
        ...(group ? { DependsOn: [group] } : {}),
        Properties: {
          FilterName: f.filterName,
          LogGroupName: f.logGroupName,
          FilterPattern: f.filterPattern,
          MetricTransformations: [
            { MetricName: f.metricName, MetricNamespace: f.metricNamespace, MetricValue: f.metricValue },
          ],
        },
      },
    });
  }
  for (const a of targets.alarms)
    add(a.region, {
      logical: logicalId(`${a.name}-alarm`, used),
      body: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: a.name,
          AlarmDescription: a.description,
          ActionsEnabled: true,
          AlarmActions: a.alarmActions.map((arn) => topicRef(arn, a.region)),
          MetricName: a.metricName,
          Namespace: a.namespace,
          Statistic: a.statistic,
          Period: a.period,
          EvaluationPeriods: a.evaluationPeriods,
          Threshold: a.threshold,
          ComparisonOperator: a.comparisonOperator,
          TreatMissingData: a.treatMissingData,
        },
      },
    });
  for (const b of targets.buckets) {
    const after = b.after;
    const properties: Record<string, unknown> = { BucketName: b.name };
    if (after?.publicAccessBlock?.ok && (b.created || b.aspects.has('pab'))) {
      const v = after.publicAccessBlock.value;
      if (v.Configured)
        properties.PublicAccessBlockConfiguration = {
          BlockPublicAcls: v.BlockPublicAcls ?? false,
          IgnorePublicAcls: v.IgnorePublicAcls ?? false,
          BlockPublicPolicy: v.BlockPublicPolicy ?? false,
          RestrictPublicBuckets: v.RestrictPublicBuckets ?? false,
        };
    }
    if (b.aspects.has('encryption'))
      properties.BucketEncryption = {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      };
    const logging = after?.logging?.ok ? after.logging.value.LoggingEnabled : undefined;
    if (b.aspects.has('logging') && logging)
      properties.LoggingConfiguration = {
        DestinationBucketName: bucketRef(logging.TargetBucket ?? '', b.region),
        LogFilePrefix: logging.TargetPrefix ?? '',
      };
    if (b.aspects.has('versioning') && after?.versioning?.ok && after.versioning.value.Status)
      properties.VersioningConfiguration = { Status: after.versioning.value.Status };
    const logical = bucketIds.get(b.name)?.logical ?? logicalId(b.name, used);
    if (Object.keys(properties).length > 1 || b.created)
      add(b.region, {
        logical,
        comment: b.created
          ? `new bucket ${b.name}`
          : `existing bucket ${b.name}: bring it into the stack with a resource import (IMPORT change set) first`,
        body: { Type: 'AWS::S3::Bucket', ...RETAIN, Properties: properties },
      });
    if (b.aspects.has('policy') && after?.policy?.ok && after.policy.value.Policy !== undefined)
      add(b.region, {
        logical: logicalId(`${b.name}Policy`, used),
        ...(b.created ? {} : { comment: `the policy of existing bucket ${b.name}, as the plan leaves it` }),
        body: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: bucketRef(b.name, b.region),
            PolicyDocument: document(after.policy.value.Policy),
          },
        },
      });
  }
  for (const t of targets.trails) {
    const config = t.after?.config;
    if (!config) continue;
    const status = t.after?.status;
    const properties: Record<string, unknown> = {
      TrailName: config.Name,
      S3BucketName: bucketRef(config.S3BucketName ?? '', t.region),
      IsLogging: status?.ok ? (status.value.IsLogging ?? true) : true,
      IsMultiRegionTrail: config.IsMultiRegionTrail ?? false,
      IncludeGlobalServiceEvents: config.IncludeGlobalServiceEvents ?? true,
      EnableLogFileValidation: config.LogFileValidationEnabled ?? false,
    };
    if (config.S3KeyPrefix) properties.S3KeyPrefix = config.S3KeyPrefix;
    if (config.KmsKeyId) {
      const output = placeholderOutput(targets, config.KmsKeyId);
      const key = output ? keyIds.get(output) : undefined;
      properties.KMSKeyId = !key
        ? config.KmsKeyId
        : key.region === t.region
          ? { 'Fn::GetAtt': [key.logical, 'Arn'] }
          : crossRegion(
              t.region,
              `${key.logical}Arn`,
              `The ARN of the key ${key.logical} from the ${key.region} template`,
            );
    }
    if (config.CloudWatchLogsLogGroupArn) {
      const name = config.CloudWatchLogsLogGroupArn.split(':')[6] ?? '';
      const group = groupIds.get(`${t.region}:${name}`);
      properties.CloudWatchLogsLogGroupArn = group
        ? { 'Fn::GetAtt': [group, 'Arn'] }
        : config.CloudWatchLogsLogGroupArn;
    }
    if (config.CloudWatchLogsRoleArn) {
      const role = roleIds.get(config.CloudWatchLogsRoleArn.split('/').pop() ?? '');
      properties.CloudWatchLogsRoleArn =
        role && t.region === targets.controlRegion
          ? { 'Fn::GetAtt': [role, 'Arn'] }
          : config.CloudWatchLogsRoleArn;
    }
    const selectors = t.after?.eventSelectors;
    if (selectors?.ok) {
      if (selectors.value.AdvancedEventSelectors?.length)
        properties.AdvancedEventSelectors = selectors.value.AdvancedEventSelectors;
      else if (selectors.value.EventSelectors?.length)
        properties.EventSelectors = selectors.value.EventSelectors;
    }
    if (t.created) properties.Tags = [{ Key: 'created-by', Value: 'trailcheck' }];
    const bucket = bucketIds.get(config.S3BucketName ?? '');
    const policy = bucket
      ? (byRegion.get(t.region) ?? []).find((r) => r.logical === `${bucket.logical}Policy`)
      : undefined;
    add(t.region, {
      logical: logicalId(t.name, used),
      comment: t.created
        ? `new trail ${t.name}`
        : `existing trail ${t.name}: CloudFormation can change it only after a resource import (IMPORT change set)`,
      body: {
        Type: 'AWS::CloudTrail::Trail',
        ...RETAIN,
        ...(policy ? { DependsOn: [policy.logical] } : {}),
        Properties: properties,
      },
    });
  }
  const extra: string[] = [];
  if (targets.buckets.some((b) => b.aspects.has('acl')))
    extra.push(
      "# CloudFormation cannot set single ACL grants: remove the public grants with the plan's CLI command.",
    );
  if (targets.keyPolicies.length > 0 || targets.enabledKeys.length > 0)
    extra.push(
      "# Changes to existing KMS keys (key policy, enabling) need the key imported: use the plan's CLI commands.",
    );
  for (const region of new Set(targets.configChanges.map((c) => c.region)))
    extra.push(
      `# AWS Config in ${region}: the plan sets up its recorder (${targets.configChanges
        .filter((c) => c.region === region)
        .map((c) => c.operation)
        .join(', ')}); these templates do not express it: use the plan's CLI commands.`,
    );
  for (const k of targets.rotatedKeys)
    extra.push(
      `# Key ${k.keyId} (${k.region}) gets automatic rotation turned on by the plan; CloudFormation can do it only with the key imported (AWS::KMS::Key, EnableKeyRotation: true): aws kms enable-key-rotation --region ${k.region} --key-id ${k.keyId}`,
    );

  const regions = [...byRegion.keys()].sort((a, b) =>
    a === targets.controlRegion ? -1 : b === targets.controlRegion ? 1 : a.localeCompare(b),
  );
  const documents = regions.map((region) => {
    const resources = byRegion.get(region) ?? [];
    const template: Record<string, unknown> = {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `${title} (${region})`.slice(0, 1024),
    };
    const params = parameters.get(region);
    if (params && params.size > 0) template.Parameters = Object.fromEntries(params);
    template.Resources = Object.fromEntries(resources.map((r) => [r.logical, r.body]));
    const doc = new Document(template);
    const resourcesNode = doc.get('Resources', true);
    if (isMap(resourcesNode)) {
      for (const item of resourcesNode.items) {
        if (!isPair(item)) continue;
        const key = item.key;
        if (!isScalar(key)) continue;
        const resource = resources.find((r) => r.logical === key.value);
        if (resource?.comment) key.commentBefore = ` ${resource.comment.replace(/\n/g, ' ')}`;
      }
    }
    quoteNumberLike(doc.contents);
    doc.commentBefore = ` Region ${region}: deploy this template there (aws cloudformation deploy --region ${region} ...)`;
    // No directives: the default tags need none, and looking for others walks the whole template.
    return doc.toString({ lineWidth: 0, directives: false });
  });
  // Changes the templates cannot express are still said, even when nothing else is left to template.
  if (documents.length === 0)
    return extra.length === 0
      ? `# ${title}: nothing for CloudFormation to create or change.\n`
      : `${[`# ${title.replace(/\n/g, ' ')}: nothing for CloudFormation to create; the plan's other changes:`, ...extra].join('\n')}\n`;
  return `${[`# ${title.replace(/\n/g, ' ')}`, '# Generated by trailcheck from the same API calls `trailcheck fix` makes.', ...extra].join('\n')}\n${documents.join('---\n')}`;
}

export function renderPlanCloudFormation(
  plan: Plan,
  snapshot: Snapshot,
  steps?: readonly PlanStep[],
): string {
  return renderCloudFormation(
    targetsOf(plan, snapshot, steps),
    `trailcheck action plan for account ${plan.account}`,
  );
}
