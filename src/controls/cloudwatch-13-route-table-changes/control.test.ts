import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted and reordered',
    pattern:
      '{ ($.eventName = "DisassociateRouteTable") || ($.eventName = "DeleteRoute") || ($.eventName = "DeleteRouteTable") || ($.eventName = "ReplaceRouteTableAssociation") || ($.eventName = "ReplaceRoute") || ($.eventName = "CreateRouteTable") || ($.eventName = "CreateRoute") }',
    status: 'PASS',
  },
  {
    name: 'a filter without DisassociateRouteTable fails naming it',
    pattern:
      '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) }',
    status: 'FAIL',
    message: /eventName=DisassociateRouteTable/,
  },
]);
