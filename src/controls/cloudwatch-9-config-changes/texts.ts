import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'AWS Config change alarm',
  topic: 'AWS Config configuration changes',
  events: 'stopping the recorder, or changing or deleting it or the delivery channel',
  whyItMatters:
    'AWS Config keeps the history of every resource’s settings; turning it off blinds the audit of everything else.',
  whyFix: 'The configuration history cannot be switched off unnoticed',
});
