import { code, rich } from '../../core/rich.js';
import { enableAccessLogging } from '../../fixes/builders.js';
import { assessTrailBuckets, bucketLoggingFact, unknownBucketFinding } from '../bucket-context.js';
import { makeFinding } from '../shared.js';
import { ACCESS_LOGGING_CALLS } from '../../fixes/permissions.js';
import type { ControlDefinition } from '../types.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control: ControlDefinition = {
  id: 'CloudTrail.7',
  frameworks: listedAs({ securityhub: 'CloudTrail.7', cis12: '2.6', cis14: '3.6', cis3: '3.4' }),
  title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
  severity: 'low',
  resourceType: 'AwsS3Bucket',
  scope: 'bucket',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 's3.bucketLogging' }],
  texts,
  fixPermissions: { calls: ACCESS_LOGGING_CALLS },
  evaluate(view) {
    return assessTrailBuckets(view, control, 'access logging', (bucket) => {
      const logging = bucketLoggingFact(view, bucket);
      if (logging.missing) return unknownBucketFinding(control, bucket, 'access logging', [logging.missing]);
      const { name, usedBy, resource, evidence } = bucket;
      const enabled = logging.value;
      if (enabled) {
        const target = enabled.TargetBucket ?? '';
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message:
            target === name
              ? rich`Bucket ${code(name)} ${usedBy} has server access logging enabled, but writes the access logs into itself; a separate bucket would keep them safe from whoever can wipe the trail logs.`
              : rich`Bucket ${code(name)} ${usedBy} writes server access logs to bucket ${code(target)}${enabled.TargetPrefix ? rich` under ${code(enabled.TargetPrefix)}` : []}.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Bucket ${code(name)} ${usedBy} has server access logging disabled, so nobody would know who read, changed or deleted its log files.`,
        evidence,
        proposal: enableAccessLogging(view, name, bucket.region),
      });
    });
  },
};
