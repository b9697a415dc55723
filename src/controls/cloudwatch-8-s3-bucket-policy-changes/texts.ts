import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'S3 bucket policy change alarm',
  topic: 'S3 bucket policy changes',
  events: 'changes to bucket ACLs, policies, CORS, lifecycle and replication',
  whyItMatters:
    'One policy change can make a bucket public or copy its data to another account; it is the quickest way data leaves.',
  whyFix: 'A bucket opened to the world is seen the same day',
});
