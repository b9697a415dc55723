import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'wildcards that catch every Authorize and Revoke call pass',
    pattern:
      '{ ($.eventName = AuthorizeSecurityGroup*) || ($.eventName = RevokeSecurityGroup*) || ($.eventName = "CreateSecurityGroup") || ($.eventName = "DeleteSecurityGroup") }',
    status: 'PASS',
  },
  {
    name: 'a filter without RevokeSecurityGroupEgress fails naming it',
    pattern:
      '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    status: 'FAIL',
    message: /eventName=RevokeSecurityGroupEgress/,
  },
]);
