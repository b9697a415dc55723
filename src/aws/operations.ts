/**
 * The API operations `trailcheck fix` may send, by `service:Operation`: each names its SDK command and the
 * client that sends it. Only these can be sent, so a plan can never reach an operation nobody reviewed.
 */
import {
  CreateTrailCommand,
  DeleteTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListTopicsCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import {
  DeleteConfigurationRecorderCommand,
  DeleteDeliveryChannelCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import type { AwsClientFactory } from './clients.js';

/** What every SDK client has in common for sending: the commands here are checked one by one below. */
interface Sender {
  send(command: unknown): Promise<unknown>;
}

// The SDK's command classes take different input types; each entry pairs a command with its own client,
// and the input is the plan's, checked against the API by the SDK's serializer and by AWS.
type CommandClass = new (input: never) => unknown;

interface OperationSpec {
  command: CommandClass;
  client: (factory: AwsClientFactory, region: string) => Sender;
}

const cloudtrail = (f: AwsClientFactory, r: string): Sender => f.cloudTrail(r);
const s3 = (f: AwsClientFactory, r: string): Sender => f.s3(r);
const kms = (f: AwsClientFactory, r: string): Sender => f.kms(r);
const logs = (f: AwsClientFactory, r: string): Sender => f.logs(r);
const iam = (f: AwsClientFactory, r: string): Sender => f.iam(r);
const cloudwatch = (f: AwsClientFactory, r: string): Sender => f.cloudWatch(r);
const sns = (f: AwsClientFactory, r: string): Sender => f.sns(r);
const ec2 = (f: AwsClientFactory, r: string): Sender => f.ec2(r);
const config = (f: AwsClientFactory, r: string): Sender => f.configService(r);

export const OPERATIONS: Readonly<Record<string, OperationSpec>> = {
  'cloudtrail:CreateTrail': { command: CreateTrailCommand, client: cloudtrail },
  'cloudtrail:UpdateTrail': { command: UpdateTrailCommand, client: cloudtrail },
  'cloudtrail:DeleteTrail': { command: DeleteTrailCommand, client: cloudtrail },
  'cloudtrail:StartLogging': { command: StartLoggingCommand, client: cloudtrail },
  'cloudtrail:StopLogging': { command: StopLoggingCommand, client: cloudtrail },
  'cloudtrail:PutEventSelectors': { command: PutEventSelectorsCommand, client: cloudtrail },
  's3:CreateBucket': { command: CreateBucketCommand, client: s3 },
  's3:DeleteBucket': { command: DeleteBucketCommand, client: s3 },
  's3:HeadBucket': { command: HeadBucketCommand, client: s3 },
  's3:PutPublicAccessBlock': { command: PutPublicAccessBlockCommand, client: s3 },
  's3:DeletePublicAccessBlock': { command: DeletePublicAccessBlockCommand, client: s3 },
  's3:PutBucketEncryption': { command: PutBucketEncryptionCommand, client: s3 },
  's3:PutBucketPolicy': { command: PutBucketPolicyCommand, client: s3 },
  's3:DeleteBucketPolicy': { command: DeleteBucketPolicyCommand, client: s3 },
  's3:PutBucketAcl': { command: PutBucketAclCommand, client: s3 },
  's3:PutBucketLogging': { command: PutBucketLoggingCommand, client: s3 },
  's3:PutBucketVersioning': { command: PutBucketVersioningCommand, client: s3 },
  'kms:CreateKey': { command: CreateKeyCommand, client: kms },
  'kms:CreateAlias': { command: CreateAliasCommand, client: kms },
  'kms:DeleteAlias': { command: DeleteAliasCommand, client: kms },
  'kms:DescribeKey': { command: DescribeKeyCommand, client: kms },
  'kms:EnableKeyRotation': { command: EnableKeyRotationCommand, client: kms },
  'kms:DisableKeyRotation': { command: DisableKeyRotationCommand, client: kms },
  'kms:EnableKey': { command: EnableKeyCommand, client: kms },
  'kms:DisableKey': { command: DisableKeyCommand, client: kms },
  'kms:PutKeyPolicy': { command: PutKeyPolicyCommand, client: kms },
  'logs:CreateLogGroup': { command: CreateLogGroupCommand, client: logs },
  'logs:DescribeLogGroups': { command: DescribeLogGroupsCommand, client: logs },
  'logs:PutMetricFilter': { command: PutMetricFilterCommand, client: logs },
  'logs:DeleteMetricFilter': { command: DeleteMetricFilterCommand, client: logs },
  'cloudwatch:PutMetricAlarm': { command: PutMetricAlarmCommand, client: cloudwatch },
  'cloudwatch:DeleteAlarms': { command: DeleteAlarmsCommand, client: cloudwatch },
  'cloudwatch:DescribeAlarms': { command: DescribeAlarmsCommand, client: cloudwatch },
  'sns:CreateTopic': { command: CreateTopicCommand, client: sns },
  'sns:DeleteTopic': { command: DeleteTopicCommand, client: sns },
  'sns:ListTopics': { command: ListTopicsCommand, client: sns },
  'sns:Subscribe': { command: SubscribeCommand, client: sns },
  'sns:Unsubscribe': { command: UnsubscribeCommand, client: sns },
  'iam:CreateRole': { command: CreateRoleCommand, client: iam },
  'iam:GetRole': { command: GetRoleCommand, client: iam },
  'iam:PutRolePolicy': { command: PutRolePolicyCommand, client: iam },
  'iam:DeleteRolePolicy': { command: DeleteRolePolicyCommand, client: iam },
  'iam:DeleteRole': { command: DeleteRoleCommand, client: iam },
  'ec2:CreateFlowLogs': { command: CreateFlowLogsCommand, client: ec2 },
  'ec2:DeleteFlowLogs': { command: DeleteFlowLogsCommand, client: ec2 },
  'config:PutConfigurationRecorder': { command: PutConfigurationRecorderCommand, client: config },
  'config:DeleteConfigurationRecorder': { command: DeleteConfigurationRecorderCommand, client: config },
  'config:PutDeliveryChannel': { command: PutDeliveryChannelCommand, client: config },
  'config:DeleteDeliveryChannel': { command: DeleteDeliveryChannelCommand, client: config },
  'config:StartConfigurationRecorder': { command: StartConfigurationRecorderCommand, client: config },
  'config:StopConfigurationRecorder': { command: StopConfigurationRecorderCommand, client: config },
};

/** Sends one call through trailcheck's clients (counted, with its retries and time limits). */
export async function sendOperation(
  factory: AwsClientFactory,
  service: string,
  operation: string,
  region: string,
  input: Record<string, unknown>,
): Promise<unknown> {
  const spec = OPERATIONS[`${service}:${operation}`];
  if (!spec) throw new Error(`trailcheck does not send ${service}:${operation}`);
  const Command = spec.command as unknown as new (input: Record<string, unknown>) => unknown;
  return spec.client(factory, region).send(new Command(input));
}
