import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'AWS Organizations change alarm',
  topic: 'AWS Organizations changes',
  events: 'the 18 calls that change accounts, units, policies and handshakes',
  whyItMatters:
    'The organization decides which accounts exist and which guardrails (SCPs) bind them; a detached policy or a member leaving removes controls from every account it touches.',
  whyFix: 'A guardrail removed from the organization is seen the same day',
});
