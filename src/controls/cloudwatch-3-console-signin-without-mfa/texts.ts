import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Sign-in without MFA alarm',
  topic: 'console sign-ins without MFA',
  events: 'ConsoleLogin with MFAUsed other than Yes',
  whyItMatters:
    'A password alone is what phishing steals; a sign-in without MFA is either a user the MFA rule missed or someone who has only the password.',
  whyFix: 'A sign-in with a stolen password alone is seen the same day',
});
