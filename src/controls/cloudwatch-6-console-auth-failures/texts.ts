import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Console sign-in failure alarm',
  topic: 'console authentication failures',
  events: 'ConsoleLogin with errorMessage "Failed authentication"',
  whyItMatters:
    'Repeated failed sign-ins are password guessing; seen early, the user can be locked or the source blocked.',
  whyFix: 'Password guessing is seen while it is still guessing',
});
