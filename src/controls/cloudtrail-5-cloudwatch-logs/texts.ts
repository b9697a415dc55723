import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'CloudWatch Logs integration',
  topic: 'CloudWatch Logs integration',
  checks:
    'Every trail the account owns sends its events to a CloudWatch Logs log group (CloudWatchLogsLogGroupArn is set in DescribeTrails), as Security Hub checks it: the age of the last delivery is not part of the verdict (trailcheck’s delivery-health check looks at that). One finding per trail.',
  whatItDoes:
    'CloudTrail also streams each event to a CloudWatch Logs log group, where metric filters and alarms can react to it within minutes.',
  whyItMatters:
    'Logs in S3 are for investigations after the fact; in CloudWatch Logs they can raise an alarm while something is happening – a root login, a trail being stopped, a policy change.',
  whyFix: 'Lets alarms react to events within minutes',
  action: 'send the trail events to CloudWatch Logs',
  howToFix:
    'Create a log group in the trail’s home Region and an IAM role that cloudtrail.amazonaws.com may assume, allowed logs:CreateLogStream and logs:PutLogEvents on that group; then aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn>:* --cloud-watch-logs-role-arn <role-arn>. In the console: Trails, the trail, CloudWatch Logs, Edit, Enabled (the console can create both).',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} streams its events to CloudWatch Logs, where alarms can react to them.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) stream their events to CloudWatch Logs.`,
      someFail: (failed) =>
        rich`${nameList(failed)} ${failed.length === 1 ? 'keeps its' : 'keep their'} events in S3 only, so no alarm can react to them as they happen.`,
      unknown: (names) => rich`CloudWatch Logs delivery could not be read for ${nameList(names)}.`,
    }),
};
