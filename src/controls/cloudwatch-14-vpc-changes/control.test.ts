import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted, reordered, with an extra OR term',
    pattern:
      '{ ($.eventName = "EnableVpcClassicLink") || ($.eventName = "DisableVpcClassicLink") || ($.eventName = "DetachClassicLinkVpc") || ($.eventName = "AttachClassicLinkVpc") || ($.eventName = "RejectVpcPeeringConnection") || ($.eventName = "DeleteVpcPeeringConnection") || ($.eventName = "CreateVpcPeeringConnection") || ($.eventName = "AcceptVpcPeeringConnection") || ($.eventName = "ModifyVpcAttribute") || ($.eventName = "DeleteVpc") || ($.eventName = "CreateVpc") || ($.eventName = "CreateVpcEndpoint") }',
    status: 'PASS',
  },
  {
    name: 'a filter without ModifyVpcAttribute fails naming it',
    pattern:
      '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
    status: 'FAIL',
    message: /eventName=ModifyVpcAttribute/,
  },
]);
