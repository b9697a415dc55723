import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Network gateway change alarm',
  topic: 'network gateway changes',
  events: 'creating, attaching, detaching and deleting internet and customer gateways',
  whyItMatters:
    'A gateway decides what can reach the internet and what the internet can reach; a new one is a new door.',
  whyFix: 'A new way in or out of the network is seen the same day',
});
