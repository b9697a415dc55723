import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'VPC change alarm',
  topic: 'VPC changes',
  events: 'creating, changing and deleting VPCs, peering connections and ClassicLink',
  whyItMatters:
    'A peering connection joins two networks; one accepted by mistake lets another account’s machines reach yours.',
  whyFix: 'A network joined to another is seen the same day',
});
