import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'IAM policy change alarm',
  topic: 'IAM policy changes',
  events: 'the 16 calls that create, change, attach or detach IAM policies',
  whyItMatters:
    'Granting oneself more rights is the first thing an intruder does with a foothold; a policy change nobody planned is the sign.',
  whyFix: 'A grant of new rights is seen before it is used',
});
