import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Route table change alarm',
  topic: 'route table changes',
  events: 'creating, replacing, disassociating and deleting routes and route tables',
  whyItMatters:
    'A changed route can send a subnet’s traffic through a machine that reads it, or out to the internet.',
  whyFix: 'Traffic being rerouted is seen the same day',
});
