import { countWord, nameList, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import type { ControlOutcome, ControlTexts } from '../types.js';
import { GLOBAL_TYPES } from './names.js';

function regionsWith(outcome: ControlOutcome, status: string): string[] {
  return outcome.findings
    .filter((f) => f.status === status && f.resource.name !== GLOBAL_TYPES)
    .map((f) => f.resource.region);
}

export const texts: ControlTexts = {
  name: 'AWS Config recording',
  topic: 'AWS Config recording in every Region',
  checks:
    'In each scanned Region: a configuration recorder (DescribeConfigurationRecorders) whose recording group has allSupported true, which is recording (DescribeConfigurationRecorderStatus recording true, last status not FAILURE), and a delivery channel (DescribeDeliveryChannels). One finding per Region. Global resource types (IAM users, roles, policies) need recording in one Region only, so one more finding judges the account: some Region that passes must have includeGlobalResourceTypes true.',
  whatItDoes:
    'AWS Config records every change to your resources – what it was before, what it became, when – and delivers the history to S3.',
  whyItMatters:
    'Without it nobody can say what a security group, role or bucket looked like on the day of an incident; CloudTrail says who called what, Config says what the result was.',
  whyFix: 'Gives every resource a change history an investigation can rely on',
  action: 'record every resource type with AWS Config in every Region',
  howToFix:
    'In each Region: aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role> --recording-group allSupported=true,includeGlobalResourceTypes=<true in one Region only>; aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<bucket>; aws configservice start-configuration-recorder --configuration-recorder-name default. The role can be the service-linked role AWSServiceRoleForConfig; the bucket policy must let config.amazonaws.com write.',
  meaning: (outcome): RichText => {
    if (outcome.findings.length === 0) return rich`No Region was scanned.`;
    const failed = regionsWith(outcome, 'FAIL');
    const unknown = regionsWith(outcome, 'UNKNOWN');
    const passed = regionsWith(outcome, 'PASS');
    const global = outcome.findings.find((f) => f.resource.name === GLOBAL_TYPES);
    const parts: RichText[] = [];
    if (failed.length > 0)
      parts.push(rich`AWS Config does not record every resource type in ${nameList(failed)}.`);
    if (unknown.length > 0) parts.push(rich`AWS Config could not be checked in ${nameList(unknown)}.`);
    if (global?.status === 'FAIL') parts.push(rich`Global resource types (IAM) are recorded in no Region.`);
    if (parts.length > 0) return parts.flatMap((p, i) => (i === 0 ? p : [' ', ...p]));
    return passed.length === 1
      ? rich`AWS Config records every resource type in ${nameList(passed)}, global ones included.`
      : rich`AWS Config records every resource type in all ${countWord(passed.length)} scanned Regions, global ones included.`;
  },
};
