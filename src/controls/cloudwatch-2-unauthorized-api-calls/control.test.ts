import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'the v1.2 pattern, which catches more, passes',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    status: 'PASS',
  },
  {
    name: 'a filter on UnauthorizedOperation alone misses AccessDenied',
    pattern: '{ $.errorCode = "*UnauthorizedOperation" }',
    status: 'FAIL',
    message: /errorCode=AccessDenied/,
  },
]);
