import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'spacing, order and no quotes around the field values change nothing',
    pattern:
      '{$.eventType!="AwsServiceEvent"&&$.userIdentity.invokedBy NOT EXISTS&&$.userIdentity.type=Root}',
    status: 'PASS',
  },
  {
    name: 'a filter narrowed to API calls misses the root user’s console sign-in',
    pattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType = "AwsApiCall" }',
    status: 'FAIL',
    message: /eventType=/,
  },
]);
