import { code, rich } from '../../core/rich.js';
import { enableAccessLogging } from '../../fixes/builders.js';
import { assessTrailBuckets, bucketLoggingFact, unknownBucketFinding } from '../bucket-context.js';
import { makeFinding } from '../shared.js';
import { ACCESS_LOGGING_CALLS } from '../../fixes/permissions.js';
import type { ControlDefinition } from '../types.js';
import { texts } from './texts.js';

export const control: ControlDefinition = {
  id: 'TC.AccessLogTarget',
  title: 'Access logs of the CloudTrail bucket should go to a separate bucket',
  severity: 'low',
  resourceType: 'AwsS3Bucket',
  scope: 'bucket',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 's3.bucketLogging' }],
  texts,
  fixPermissions: { calls: ACCESS_LOGGING_CALLS },
  evaluate(view) {
    return assessTrailBuckets(view, control, 'access-log target', (bucket) => {
      const logging = bucketLoggingFact(view, bucket);
      if (logging.missing)
        return unknownBucketFinding(control, bucket, 'access-log target', [logging.missing]);
      const enabled = logging.value;
      // No access logging: nothing to judge here (CloudTrail.7 reports it).
      if (!enabled) return undefined;
      const { name, usedBy, resource, evidence } = bucket;
      if (enabled.TargetBucket !== name) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`Access logs of bucket ${code(name)} ${usedBy} go to the separate bucket ${code(enabled.TargetBucket ?? '')}.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Bucket ${code(name)} ${usedBy} writes its access logs into itself, where they can be wiped together with the trail logs.`,
        evidence,
        proposal: enableAccessLogging(view, name, bucket.region),
      });
    });
  },
};
