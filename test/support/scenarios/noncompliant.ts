/**
 * An account where every control fails, with evidence from both test Regions: a multi-Region trail that is
 * not logging and a single-Region trail in eu-west-1, neither encrypted nor validating, delivering to
 * buckets without access logging. Under any fault, a PASS here is a false PASS.
 */
import type { SeedClients } from '../aws.js';
import { createTrail, createTrailBucket } from './builders.js';

export async function noncompliantScenario(aws: SeedClients): Promise<void> {
  await createTrailBucket(aws, 'lax-trail-logs', 'LaxGlobal');
  await createTrail(aws, { name: 'LaxGlobal', bucket: 'lax-trail-logs', multiRegion: true, logging: false });
  await createTrailBucket(aws, 'lax-eu-trail-logs', 'LaxEu', 'eu-west-1');
  await createTrail(aws, {
    name: 'LaxEu',
    bucket: 'lax-eu-trail-logs',
    region: 'eu-west-1',
    eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
  });
}
