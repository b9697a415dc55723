import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted, without parentheses around the event source, in another order',
    pattern:
      '{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "ScheduleKeyDeletion" || $.eventName = "DisableKey") }',
    status: 'PASS',
  },
  {
    name: 'a filter on DisableKey alone fails naming ScheduleKeyDeletion',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }',
    status: 'FAIL',
    message: /eventName=ScheduleKeyDeletion/,
  },
]);
