import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted and reordered',
    pattern:
      '{ ($.eventName = "DetachInternetGateway") || ($.eventName = "DeleteInternetGateway") || ($.eventName = "CreateInternetGateway") || ($.eventName = "AttachInternetGateway") || ($.eventName = "DeleteCustomerGateway") || ($.eventName = "CreateCustomerGateway") }',
    status: 'PASS',
  },
  {
    name: 'a filter without DetachInternetGateway fails naming it',
    pattern:
      '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) }',
    status: 'FAIL',
    message: /eventName=DetachInternetGateway/,
  },
]);
