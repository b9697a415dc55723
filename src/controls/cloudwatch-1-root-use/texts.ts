import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Root use alarm',
  topic: 'use of the root user',
  events: 'any call made by the root user itself, not by an AWS service on its behalf',
  whyItMatters:
    'The root user can do anything, including close the account, and no policy limits it; it should almost never be used, so each use is worth a look the same day.',
  whyFix: 'Someone hears of a root sign-in while it can still be stopped',
});
