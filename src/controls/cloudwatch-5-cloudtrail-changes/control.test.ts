import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted, in another order, with an extra OR term',
    pattern:
      '{ ($.eventName = "StopLogging") || ($.eventName = "StartLogging") || ($.eventName = "DeleteTrail") || ($.eventName = "UpdateTrail") || ($.eventName = "CreateTrail") || ($.eventName = "PutEventSelectors") }',
    status: 'PASS',
  },
  {
    name: 'a filter without StopLogging fails naming it',
    pattern:
      '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }',
    status: 'FAIL',
    message: /eventName=StopLogging/,
  },
]);
