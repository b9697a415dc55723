/**
 * The plan as Terraform (HCL, AWS provider 5.x): `import` blocks for what exists and the plan changes,
 * resources for what it creates, each with the end state the plan's calls leave. Attributes trailcheck
 * does not read (tags, Insights, SNS) are in `ignore_changes`, so applying it never removes them.
 */
import type { Snapshot } from '../snapshot/schema.js';
import type { Plan, PlanStep } from './plan.js';
import type { BucketTarget, Targets, TrailTarget } from './targets.js';
import { placeholderOutput, targetsOf } from './targets.js';

class Expr {
  constructor(readonly code: string) {}
}
type Hcl = string | number | boolean | null | Expr | Hcl[] | { [key: string]: Hcl };
type Entry = ['attr', string, Hcl] | ['block', string, Entry[]] | ['comment', string];

/** An HCL string: quotes, backslashes, line breaks, and template sequences (`${`, `%{`) escaped. */
export function hclString(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `"${out.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}

function value(v: Hcl, indent: string): string {
  if (v instanceof Expr) return v.code;
  if (v === null) return 'null';
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${inner}${value(x, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${hclString(k)} = ${value(x, inner)}`).join('\n')}\n${indent}}`;
}

function body(entries: Entry[], indent: string): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry[0] === 'comment') lines.push(`${indent}# ${entry[1].replace(/\n/g, ' ')}`);
    else if (entry[0] === 'attr') lines.push(`${indent}${entry[1]} = ${value(entry[2], indent)}`);
    else lines.push(`${indent}${entry[1]} {`, ...body(entry[2], `${indent}  `), `${indent}}`);
  }
  return lines;
}

/** `jsonencode({...})` of a JSON document, so policies read as HCL and stay one value. */
function jsonencode(json: string): Expr {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return new Expr(hclString(json));
  }
  return new Expr(`jsonencode(${value(parsed as Hcl, '  ')})`);
}

function ident(name: string, used: Set<string>): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(base)) base = `r_${base}`;
  base = base.slice(0, 60) || 'r';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

const alias = (region: string) => `r_${region.replace(/-/g, '_')}`;

export function renderTerraform(targets: Targets, title: string): string {
  const used = new Set<string>();
  const blocks: string[] = [];
  const regions = new Set<string>();
  const provider = (region: string): Entry[] => {
    if (region === targets.controlRegion) return [];
    regions.add(region);
    return [['attr', 'provider', new Expr(`aws.${alias(region)}`)]];
  };
  const resource = (type: string, id: string, entries: Entry[], comment?: string) => {
    blocks.push(
      [
        ...(comment ? [`# ${comment.replace(/\n/g, ' ')}`] : []),
        `resource "${type}" "${id}" {`,
        ...body(entries, '  '),
        '}',
      ].join('\n'),
    );
  };
  const importBlock = (type: string, id: string, importId: string, region: string) => {
    blocks.push(
      [
        'import {',
        ...body(
          [['attr', 'to', new Expr(`${type}.${id}`)], ['attr', 'id', importId], ...provider(region)],
          '  ',
        ),
        '}',
      ].join('\n'),
    );
  };
  const bucketIds = new Map<string, string>();
  const keyIds = new Map<string, string>();
  const roleIds = new Map<string, string>();
  const groupIds = new Map<string, string>();
  const bucketRef = (name: string): Hcl => {
    const id = bucketIds.get(name);
    return id ? new Expr(`aws_s3_bucket.${id}.id`) : name;
  };
  const keyRef = (value: string | undefined): Hcl | undefined => {
    const output = placeholderOutput(targets, value);
    const id = output ? keyIds.get(output) : undefined;
    return id ? new Expr(`aws_kms_key.${id}.arn`) : value;
  };

  // New buckets first: everything else refers to them.
  for (const b of targets.buckets.filter((x) => x.created)) {
    const id = ident(b.name, used);
    bucketIds.set(b.name, id);
    resource(
      'aws_s3_bucket',
      id,
      [['attr', 'bucket', b.name], ...provider(b.region)],
      `new bucket ${b.name}`,
    );
  }
  for (const key of targets.keys) {
    const id = ident(key.alias?.replace(/^alias\//, '') ?? key.output, used);
    keyIds.set(key.output, id);
    resource(
      'aws_kms_key',
      id,
      [
        ...provider(key.region),
        ['attr', 'description', key.description],
        ['attr', 'enable_key_rotation', key.rotation],
        ['attr', 'policy', jsonencode(key.policy)],
      ],
      'new KMS key (trailcheck never deletes it: log files may be encrypted with it)',
    );
    if (key.alias)
      resource('aws_kms_alias', ident(`${id}_alias`, used), [
        ...provider(key.region),
        ['attr', 'name', key.alias],
        ['attr', 'target_key_id', new Expr(`aws_kms_key.${id}.key_id`)],
      ]);
  }
  for (const group of targets.logGroups) {
    const id = ident(group.name, used);
    groupIds.set(`${group.region}:${group.name}`, id);
    resource('aws_cloudwatch_log_group', id, [...provider(group.region), ['attr', 'name', group.name]]);
  }
  for (const role of targets.roles) {
    const id = ident(role.name, used);
    roleIds.set(role.name, id);
    resource('aws_iam_role', id, [
      ['attr', 'name', role.name],
      ['attr', 'description', role.description],
      ['attr', 'assume_role_policy', jsonencode(role.trust)],
    ]);
    for (const policy of role.policies)
      resource('aws_iam_role_policy', ident(`${id}_${policy.name}`, used), [
        ['attr', 'name', policy.name],
        ['attr', 'role', new Expr(`aws_iam_role.${id}.id`)],
        ['attr', 'policy', jsonencode(policy.document)],
      ]);
  }
  const topicIds = new Map<string, string>();
  for (const topic of targets.topics) {
    const id = ident(topic.name, used);
    topicIds.set(`${topic.region}:${topic.name}`, id);
    resource('aws_sns_topic', id, [...provider(topic.region), ['attr', 'name', topic.name]], 'new SNS topic');
  }
  /** A topic ARN as HCL: the new topic's own attribute when these steps create it. */
  const topicRef = (arn: string): Hcl => {
    const [, , , region = '', , name = ''] = arn.split(':');
    const id = topicIds.get(`${region}:${name}`);
    return id ? new Expr(`aws_sns_topic.${id}.arn`) : arn;
  };
  for (const s of targets.subscriptions)
    resource(
      'aws_sns_topic_subscription',
      ident(`${s.topicArn.split(':').pop() ?? 'topic'}_${s.protocol}`, used),
      [
        ...provider(s.region),
        ['attr', 'topic_arn', topicRef(s.topicArn)],
        ['attr', 'protocol', s.protocol],
        ['attr', 'endpoint', s.endpoint],
      ],
      s.protocol.startsWith('email')
        ? 'stays pending until the address confirms the e-mail AWS sends'
        : undefined,
    );
  for (const f of targets.metricFilters) {
    const group = groupIds.get(`${f.region}:${f.logGroupName}`);
    resource('aws_cloudwatch_log_metric_filter', ident(f.filterName, used), [
      ...provider(f.region),
      ['attr', 'name', f.filterName],
      ['attr', 'log_group_name', group ? new Expr(`aws_cloudwatch_log_group.${group}.name`) : f.logGroupName],
      ['attr', 'pattern', f.filterPattern],
      [
        'block',
        'metric_transformation',
        [
          ['attr', 'name', f.metricName],
          ['attr', 'namespace', f.metricNamespace],
          ['attr', 'value', f.metricValue],
        ],
      ],
    ]);
  }
  for (const a of targets.alarms)
    resource('aws_cloudwatch_metric_alarm', ident(`${a.name}_alarm`, used), [
      ...provider(a.region),
      ['attr', 'alarm_name', a.name],
      ['attr', 'alarm_description', a.description],
      ['attr', 'metric_name', a.metricName],
      ['attr', 'namespace', a.namespace],
      ['attr', 'statistic', a.statistic],
      ['attr', 'period', a.period],
      ['attr', 'evaluation_periods', a.evaluationPeriods],
      ['attr', 'threshold', a.threshold],
      ['attr', 'comparison_operator', a.comparisonOperator],
      ['attr', 'treat_missing_data', a.treatMissingData],
      ['attr', 'actions_enabled', true],
      ['attr', 'alarm_actions', a.alarmActions.map(topicRef)],
    ]);
  for (const f of targets.flowLogs)
    for (const vpc of f.vpcIds)
      resource(
        'aws_flow_log',
        ident(`${vpc}_flow_log`, used),
        [
          ...provider(f.region),
          ['attr', 'vpc_id', vpc],
          ['attr', 'traffic_type', f.trafficType],
          ['attr', 'log_destination_type', 's3'],
          ['attr', 'log_destination', f.destination],
        ],
        `new flow log of VPC ${vpc}`,
      );
  for (const b of targets.buckets) bucketSettings(b);
  for (const t of targets.trails) trail(t);
  for (const k of targets.keyPolicies) {
    const id = ident(`${k.keyId.split('/').pop() ?? 'key'}_policy`, used);
    importBlock('aws_kms_key_policy', id, k.keyId.split('/').pop() ?? k.keyId, k.region);
    resource('aws_kms_key_policy', id, [
      ...provider(k.region),
      ['attr', 'key_id', k.keyId],
      ['attr', 'policy', jsonencode(k.policy)],
    ]);
  }
  for (const region of new Set(targets.configChanges.map((c) => c.region)))
    blocks.push(
      `# AWS Config in ${region}: the plan sets up its recorder (${targets.configChanges
        .filter((c) => c.region === region)
        .map((c) => c.operation)
        .join(
          ', ',
        )}).\n# This form does not express it (an existing recorder would need importing): use the plan's CLI commands.`,
    );
  for (const k of targets.rotatedKeys)
    blocks.push(
      `# Key ${k.keyId} (${k.region}) gets automatic rotation turned on by the plan. Terraform can do it only with the\n# whole key imported (aws_kms_key, enable_key_rotation = true); the plan's CLI command does just that one thing:\n# aws kms enable-key-rotation --region ${k.region} --key-id ${k.keyId}`,
    );
  for (const k of targets.enabledKeys)
    blocks.push(
      `# Key ${k.keyId} is enabled again by the plan. Terraform can do it only with the whole key imported\n# (aws_kms_key, is_enabled = true); the plan's CLI command does just that one thing.`,
    );

  function bucketSettings(b: BucketTarget): void {
    const after = b.after;
    const ref = bucketRef(b.name);
    const existed = (aspect: boolean) => !b.created && aspect;
    if (b.aspects.has('pab') && after?.publicAccessBlock?.ok) {
      const id = ident(`${b.name}_public_access_block`, used);
      const before = b.before?.publicAccessBlock;
      if (existed(before?.ok === true && before.value.Configured))
        importBlock('aws_s3_bucket_public_access_block', id, b.name, b.region);
      const v = after.publicAccessBlock.value;
      resource('aws_s3_bucket_public_access_block', id, [
        ...provider(b.region),
        ['attr', 'bucket', ref],
        ['attr', 'block_public_acls', v.BlockPublicAcls ?? false],
        ['attr', 'ignore_public_acls', v.IgnorePublicAcls ?? false],
        ['attr', 'block_public_policy', v.BlockPublicPolicy ?? false],
        ['attr', 'restrict_public_buckets', v.RestrictPublicBuckets ?? false],
      ]);
    }
    if (b.aspects.has('encryption')) {
      resource('aws_s3_bucket_server_side_encryption_configuration', ident(`${b.name}_encryption`, used), [
        ...provider(b.region),
        ['attr', 'bucket', ref],
        [
          'block',
          'rule',
          [['block', 'apply_server_side_encryption_by_default', [['attr', 'sse_algorithm', 'AES256']]]],
        ],
      ]);
    }
    if (b.aspects.has('policy') && after?.policy?.ok) {
      const policy = after.policy.value.Policy;
      const id = ident(`${b.name}_policy`, used);
      const before = b.before?.policy;
      if (policy === undefined) {
        blocks.push(
          `# The plan deletes the policy of bucket ${b.name} (every statement in it was public).\n# If Terraform manages that policy, remove its aws_s3_bucket_policy resource; otherwise run the plan's CLI command.`,
        );
      } else {
        if (existed(before?.ok === true && before.value.Policy !== undefined))
          importBlock('aws_s3_bucket_policy', id, b.name, b.region);
        resource('aws_s3_bucket_policy', id, [
          ...provider(b.region),
          ['attr', 'bucket', ref],
          ['attr', 'policy', jsonencode(policy)],
        ]);
      }
    }
    if (b.aspects.has('acl') && after?.acl?.ok) {
      const id = ident(`${b.name}_acl`, used);
      if (!b.created) importBlock('aws_s3_bucket_acl', id, b.name, b.region);
      const grants: Entry[] = after.acl.value.Grants.map((g) => [
        'block',
        'grant',
        [
          [
            'block',
            'grantee',
            [
              ['attr', 'type', g.Grantee?.Type ?? 'CanonicalUser'],
              ...(g.Grantee?.ID ? ([['attr', 'id', g.Grantee.ID]] as Entry[]) : []),
              ...(g.Grantee?.URI ? ([['attr', 'uri', g.Grantee.URI]] as Entry[]) : []),
              ...(g.Grantee?.EmailAddress
                ? ([['attr', 'email_address', g.Grantee.EmailAddress]] as Entry[])
                : []),
            ],
          ],
          ['attr', 'permission', g.Permission ?? 'READ'],
        ],
      ]);
      resource('aws_s3_bucket_acl', id, [
        ...provider(b.region),
        ['attr', 'bucket', ref],
        [
          'block',
          'access_control_policy',
          [...grants, ['block', 'owner', [['attr', 'id', after.acl.value.Owner?.ID ?? '']]]],
        ],
      ]);
    }
    if (b.aspects.has('logging') && after?.logging?.ok && after.logging.value.LoggingEnabled) {
      const id = ident(`${b.name}_logging`, used);
      if (existed(b.before?.logging?.ok === true && b.before.logging.value.LoggingEnabled !== undefined))
        importBlock('aws_s3_bucket_logging', id, b.name, b.region);
      const enabled = after.logging.value.LoggingEnabled;
      resource('aws_s3_bucket_logging', id, [
        ...provider(b.region),
        ['attr', 'bucket', ref],
        ['attr', 'target_bucket', bucketRef(enabled.TargetBucket ?? '')],
        ['attr', 'target_prefix', enabled.TargetPrefix ?? ''],
      ]);
    }
    if (b.aspects.has('versioning') && after?.versioning?.ok) {
      const id = ident(`${b.name}_versioning`, used);
      if (existed(b.before?.versioning?.ok === true && b.before.versioning.value.Status !== undefined))
        importBlock('aws_s3_bucket_versioning', id, b.name, b.region);
      resource('aws_s3_bucket_versioning', id, [
        ...provider(b.region),
        ['attr', 'bucket', ref],
        [
          'block',
          'versioning_configuration',
          [['attr', 'status', after.versioning.value.Status ?? 'Enabled']],
        ],
      ]);
    }
  }

  function trail(t: TrailTarget): void {
    const config = t.after?.config;
    if (!config) return;
    const id = ident(t.name, used);
    if (!t.created) importBlock('aws_cloudtrail', id, config.TrailARN, t.region);
    const entries: Entry[] = [
      ...provider(t.region),
      ['attr', 'name', config.Name],
      ['attr', 's3_bucket_name', bucketRef(config.S3BucketName ?? '')],
    ];
    if (config.S3KeyPrefix) entries.push(['attr', 's3_key_prefix', config.S3KeyPrefix]);
    entries.push(
      ['attr', 'is_multi_region_trail', config.IsMultiRegionTrail ?? false],
      ['attr', 'include_global_service_events', config.IncludeGlobalServiceEvents ?? true],
      ['attr', 'enable_log_file_validation', config.LogFileValidationEnabled ?? false],
    );
    const status = t.after?.status;
    if (status?.ok && status.value.IsLogging !== undefined)
      entries.push(['attr', 'enable_logging', status.value.IsLogging]);
    const kms = keyRef(config.KmsKeyId);
    if (kms !== undefined) entries.push(['attr', 'kms_key_id', kms]);
    if (config.CloudWatchLogsLogGroupArn) {
      const name = config.CloudWatchLogsLogGroupArn.split(':')[6] ?? '';
      const group = groupIds.get(`${t.region}:${name}`);
      entries.push([
        'attr',
        'cloud_watch_logs_group_arn',
        group ? new Expr(`"\${aws_cloudwatch_log_group.${group}.arn}:*"`) : config.CloudWatchLogsLogGroupArn,
      ]);
    }
    if (config.CloudWatchLogsRoleArn) {
      const role = roleIds.get(config.CloudWatchLogsRoleArn.split('/').pop() ?? '');
      entries.push([
        'attr',
        'cloud_watch_logs_role_arn',
        role ? new Expr(`aws_iam_role.${role}.arn`) : config.CloudWatchLogsRoleArn,
      ]);
    }
    const selectors = t.after?.eventSelectors;
    const ignored = ['tags', 'tags_all', 'insight_selector', 'sns_topic_name'];
    if (selectors?.ok) {
      for (const s of selectors.value.EventSelectors ?? []) {
        const block: Entry[] = [
          ['attr', 'read_write_type', s.ReadWriteType ?? 'All'],
          ['attr', 'include_management_events', s.IncludeManagementEvents ?? true],
        ];
        if (s.ExcludeManagementEventSources?.length)
          block.push(['attr', 'exclude_management_event_sources', s.ExcludeManagementEventSources]);
        for (const d of s.DataResources ?? [])
          block.push([
            'block',
            'data_resource',
            [
              ['attr', 'type', d.Type ?? ''],
              ['attr', 'values', d.Values ?? []],
            ],
          ]);
        entries.push(['block', 'event_selector', block]);
      }
      for (const s of selectors.value.AdvancedEventSelectors ?? []) {
        const block: Entry[] = s.Name ? [['attr', 'name', s.Name]] : [];
        for (const f of s.FieldSelectors) {
          const field: Entry[] = [['attr', 'field', f.Field]];
          for (const [key, attr] of [
            ['Equals', 'equals'],
            ['StartsWith', 'starts_with'],
            ['EndsWith', 'ends_with'],
            ['NotEquals', 'not_equals'],
            ['NotStartsWith', 'not_starts_with'],
            ['NotEndsWith', 'not_ends_with'],
          ] as const)
            if (f[key]?.length) field.push(['attr', attr, f[key] ?? []]);
          block.push(['block', 'field_selector', field]);
        }
        entries.push(['block', 'advanced_event_selector', block]);
      }
    } else {
      ignored.push('event_selector', 'advanced_event_selector');
    }
    if (t.created) entries.push(['attr', 'tags', { 'created-by': 'trailcheck' }]);
    if (!t.created)
      entries.push([
        'block',
        'lifecycle',
        [
          ['comment', 'trailcheck does not read these: leave them as they are'],
          ['attr', 'ignore_changes', ignored.map((i) => new Expr(i))],
        ],
      ]);
    resource(
      'aws_cloudtrail',
      id,
      entries,
      t.created ? `new trail ${t.name}` : `existing trail ${t.name}: imported, then changed`,
    );
  }

  const providers = [
    `provider "aws" {\n  region = ${hclString(targets.controlRegion)}\n}`,
    ...[...regions]
      .sort()
      .map((r) => `provider "aws" {\n  alias  = "${alias(r)}"\n  region = ${hclString(r)}\n}`),
  ];
  const header = [
    `# ${title.replace(/\n/g, ' ')}`,
    '# Generated by trailcheck from the same API calls `trailcheck fix` makes. Existing resources are brought',
    '# in with import blocks (Terraform 1.5 or later); review `terraform plan` before you apply.',
    'terraform {',
    '  required_providers {',
    '    aws = {',
    '      source  = "hashicorp/aws"',
    '      version = ">= 5.0"',
    '    }',
    '  }',
    '}',
  ];
  return `${[header.join('\n'), ...providers, ...blocks].join('\n\n')}\n`;
}

export function renderPlanTerraform(plan: Plan, snapshot: Snapshot, steps?: readonly PlanStep[]): string {
  return renderTerraform(
    targetsOf(plan, snapshot, steps),
    `trailcheck action plan for account ${plan.account}`,
  );
}
