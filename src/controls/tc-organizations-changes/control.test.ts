import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'every Organizations event, which catches more, passes',
    pattern: '{ $.eventSource = "organizations.amazonaws.com" }',
    status: 'PASS',
  },
  {
    name: 'a filter without LeaveOrganization fails naming it',
    pattern:
      '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }',
    status: 'FAIL',
    message: /eventName=LeaveOrganization/,
  },
]);
