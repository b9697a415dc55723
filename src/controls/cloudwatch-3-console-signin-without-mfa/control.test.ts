import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

const IAM_USER_SUCCESS =
  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'the narrower IAM-user, successful sign-in pattern CIS accepts from v1.4 passes',
    pattern: IAM_USER_SUCCESS,
    status: 'PASS',
    framework: 'cis-5.0',
  },
  {
    name: 'the same narrower pattern misses root and failed sign-ins, which v1.2 (Security Hub, the default) watches',
    pattern: IAM_USER_SUCCESS,
    status: 'FAIL',
    message: /CIS v1\.2\.0 lists: filter watch misses/,
  },
  {
    name: 'a filter on MFAUsed = No misses sign-ins that say nothing else',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }',
    status: 'FAIL',
    message: /MFAUsed=/,
  },
]);
