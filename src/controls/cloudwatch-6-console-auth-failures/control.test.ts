import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'without parentheses, in another order, quoted',
    pattern: '{ $.errorMessage = "Failed authentication" && $.eventName = "ConsoleLogin" }',
    status: 'PASS',
  },
  {
    name: 'a filter limited to IAM users misses failures of other identities',
    pattern:
      '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.userIdentity.type = "IAMUser") }',
    status: 'FAIL',
    message: /misses eventName=ConsoleLogin, errorMessage=Failed authentication/,
  },
]);
