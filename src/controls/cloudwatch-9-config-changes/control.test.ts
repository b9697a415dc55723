import { monitoringTable } from '../../../test/support/monitoring-fixtures.js';
import { control } from './control.js';

// The CIS pattern as printed, the chain's shared cases and the spelling cases are in monitoringTable.
monitoringTable(control, [
  {
    name: 'quoted and reordered',
    pattern:
      '{ $.eventSource = "config.amazonaws.com" && (($.eventName = "PutConfigurationRecorder") || ($.eventName = "PutDeliveryChannel") || ($.eventName = "DeleteDeliveryChannel") || ($.eventName = "StopConfigurationRecorder")) }',
    status: 'PASS',
  },
  {
    name: 'a filter without StopConfigurationRecorder fails naming it',
    pattern:
      '{ ($.eventSource = config.amazonaws.com) && (($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }',
    status: 'FAIL',
    message: /eventName=StopConfigurationRecorder/,
  },
]);
