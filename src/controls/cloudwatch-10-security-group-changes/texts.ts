import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Security group change alarm',
  topic: 'security group changes',
  events: 'creating, deleting, authorizing and revoking security group rules',
  whyItMatters:
    'A security group rule is the firewall of an instance; one added rule can open a database to the internet.',
  whyFix: 'A port opened to the internet is seen the same day',
});
