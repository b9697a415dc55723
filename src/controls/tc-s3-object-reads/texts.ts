import { rich } from '../../core/rich.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'S3 object-level logging (reads)',
  topic: 'S3 object-level logging of reads',
  checks:
    'A multi-Region trail that is logging has one data event selector recording every S3 object read in every bucket, current and future: a basic selector with AWS::S3::Object and the value arn:aws:s3 (or arn:aws:s3:::) and ReadWriteType All or ReadOnly, or an advanced selector on eventCategory Data and resources.type AWS::S3::Object that nothing else narrows (readOnly may only exclude writes). CIS 3.11 (v1.4) and 3.9 (v3.0, v5.0). One finding for the account.',
  whatItDoes:
    'CloudTrail records every download of an object from your S3 buckets – who read which file, and from where.',
  whyItMatters:
    'Data theft is a read. Without object-level read logging, you cannot tell whether sensitive files were downloaded, or by whom.',
  whyFix: 'Shows who read which object, the trace of data theft',
  action: 'record S3 object reads on a multi-Region trail',
  howToFix:
    'Add a data event selector for S3 objects to a multi-Region trail: in the CloudTrail console, the trail, Data events, Edit, add S3 with the log selector template Log readOnly events. From the CLI, add {"ReadWriteType":"ReadOnly","IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]} to the trail\'s event selectors with aws cloudtrail put-event-selectors, keeping the selectors it has. Read events can be numerous: data events are charged per 100,000 events (see the AWS CloudTrail pricing page).',
  meaning: ({ status, findings }) => {
    const finding = findings[0];
    if (!finding) return rich`No finding.`;
    if (status === 'PASS') return rich`Every read of an S3 object is recorded, in every bucket.`;
    if (status === 'FAIL')
      return rich`Reads of S3 objects are not recorded: a download of sensitive data would leave no trace.`;
    return finding.message;
  },
};
