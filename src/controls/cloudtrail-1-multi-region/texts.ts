import { isCodeSpan, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Multi-Region trail',
  topic: 'multi-Region coverage',
  checks:
    'At least one trail is multi-Region, is logging (GetTrailStatus IsLogging), and has one event selector that records every read and write management event: a basic selector with IncludeManagementEvents and ReadWriteType All and no excluded event sources, or an advanced selector on eventCategory Management that nothing else narrows. Organization trails count. One finding for the account.',
  whatItDoes:
    'A multi-Region trail records the API activity of every AWS Region – reads and writes alike – in one place, including Regions you never use.',
  whyItMatters:
    'If an attacker moves to a Region you don’t watch, or only reads data, you still see the activity.',
  whyFix: 'Records activity in every Region, including the ones you never use',
  action: 'set up a logging multi-Region trail that records all management events',
  howToFix:
    "Use a multi-Region trail that records both read and write management events and is logging. In the CloudTrail console, trails are multi-Region by default: create one (Trails, Create trail) with Read and Write management events. From the CLI, 'aws cloudtrail update-trail --name <trail> --is-multi-region-trail' turns an existing trail into one, 'aws cloudtrail put-event-selectors' sets read and write management events, and 'aws cloudtrail start-logging --name <trail>' starts it. Every finding names the trail to change and the exact commands.",
  meaning: ({ status, findings }): RichText => {
    const finding = findings[0];
    if (!finding) return rich`No finding.`;
    if (status === 'PASS') {
      const trail = finding.message.find(isCodeSpan);
      return trail
        ? rich`You have a trail (${trail}) that collects events from all AWS Regions – good for detecting cross-Region activity.`
        : finding.message;
    }
    return finding.message;
  },
};
