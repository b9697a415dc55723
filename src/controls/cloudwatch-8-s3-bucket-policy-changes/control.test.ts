import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'without the event source, which catches more, quoted and reordered',
    pattern:
      '{ ($.eventName = "DeleteBucketReplication") || ($.eventName = "DeleteBucketLifecycle") || ($.eventName = "DeleteBucketCors") || ($.eventName = "DeleteBucketPolicy") || ($.eventName = "PutBucketReplication") || ($.eventName = "PutBucketLifecycle") || ($.eventName = "PutBucketCors") || ($.eventName = "PutBucketPolicy") || ($.eventName = "PutBucketAcl") }',
    status: 'PASS',
  },
  {
    name: 'a filter without PutBucketReplication fails naming it',
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    status: 'FAIL',
    message: /eventName=PutBucketReplication/,
  },
]);
