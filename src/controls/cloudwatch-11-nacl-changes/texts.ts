import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Network ACL change alarm',
  topic: 'network ACL changes',
  events: 'creating, changing, replacing and deleting network ACLs and their entries',
  whyItMatters:
    'Network ACLs guard whole subnets; a changed entry can open every instance in a subnet at once.',
  whyFix: 'A subnet opened by a changed ACL is seen the same day',
});
