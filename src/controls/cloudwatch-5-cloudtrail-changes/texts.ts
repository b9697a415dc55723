import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'CloudTrail change alarm',
  topic: 'CloudTrail configuration changes',
  events: 'CreateTrail, UpdateTrail, DeleteTrail, StartLogging and StopLogging',
  whyItMatters:
    'Stopping or changing the trail is how an intruder hides what comes next; the alarm is the last word the trail gets to say.',
  whyFix: 'A trail being stopped or changed is seen at once',
});
