import { rich } from '../../core/rich.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'S3 object-level logging (writes)',
  topic: 'S3 object-level logging of writes',
  checks:
    'A multi-Region trail that is logging has one data event selector recording every S3 object write in every bucket, current and future: a basic selector with AWS::S3::Object and the value arn:aws:s3 (or arn:aws:s3:::) and ReadWriteType All or WriteOnly, or an advanced selector on eventCategory Data and resources.type AWS::S3::Object that nothing else narrows (readOnly may only exclude reads). CIS 3.10 (v1.4) and 3.8 (v3.0, v5.0). One finding for the account.',
  whatItDoes:
    'CloudTrail records every upload, overwrite and deletion of an object in your S3 buckets – who did it, from where, and to which object.',
  whyItMatters:
    'Management events say who changed a bucket’s settings, not who changed the data in it. Without object-level logging, a deleted or tampered file leaves no trace of who did it.',
  whyFix: 'Shows who changed or deleted which object',
  action: 'record S3 object writes on a multi-Region trail',
  howToFix:
    'Add a data event selector for S3 objects to a multi-Region trail: in the CloudTrail console, the trail, Data events, Edit, add S3 with the log selector template Log writeOnly events. From the CLI, add {"ReadWriteType":"WriteOnly","IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]} to the trail\'s event selectors with aws cloudtrail put-event-selectors, keeping the selectors it has. Data events are charged per 100,000 events (see the AWS CloudTrail pricing page).',
  meaning: ({ status, findings }) => {
    const finding = findings[0];
    if (!finding) return rich`No finding.`;
    if (status === 'PASS') return rich`Every write to an S3 object is recorded, in every bucket.`;
    if (status === 'FAIL')
      return rich`Writes to S3 objects are not recorded: nobody would know who changed or deleted a file.`;
    return finding.message;
  },
};
