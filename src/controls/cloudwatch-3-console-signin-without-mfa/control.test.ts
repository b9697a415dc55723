import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'the narrower IAM-user, successful sign-in pattern CIS accepts passes',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    status: 'PASS',
  },
  {
    name: 'a filter on MFAUsed = No misses sign-ins that say nothing else',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }',
    status: 'FAIL',
    message: /MFAUsed=/,
  },
]);
