import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'Unauthorized API calls alarm',
  topic: 'unauthorized API calls',
  events: 'errorCode *UnauthorizedOperation or AccessDenied*, other than S3 log delivery and HeadBucket',
  whyItMatters:
    'A burst of denied calls is how a stolen key or a compromised instance looks while it probes what it may do.',
  whyFix: 'Probing with stolen credentials is seen as it happens',
});
