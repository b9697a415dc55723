/**
 * A service with a regression to show: moto seeded with the compliant account, `trailcheck serve` spawned
 * on it (a free port, a temporary store), a baseline scan, then the multi-Region trail stopped and a
 * second scan. The dashboard's browser test and `scripts/screenshot-dashboard.ts` both start from it.
 */
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ACCOUNT, motoEnv, seedClients } from './aws.js';
import type { MotoServer } from './moto.js';
import { compliantScenario } from './scenarios/compliant.js';
import { scanNow, startServe } from './service.js';
import type { ServeProcess } from './service.js';

/** The trail the story stops: its name must show on the failing finding. */
export const STORY_TRAIL = 'OrgAudit';
export const STORY_ACCOUNT = ACCOUNT;
/** Long enough for the service's token rules; only ever used against a throwaway store. */
export const STORY_ADMIN_TOKEN = 'tc_dashboard_story_admin_token_0123456789';
export const STORY_REQUEST = { regions: ['us-east-1'] };

export interface RegressionStory {
  serve: ServeProcess;
  baselineScan: string;
  brokenScan: string;
}

/**
 * Seeds moto (reset first), starts the service and makes the scans: `baselines` before (the last is
 * `baselineScan`), then one with the trail stopped. More baselines give a chart more to draw.
 */
export async function regressionStory(
  moto: MotoServer,
  dataDir: string,
  baselines = 1,
): Promise<RegressionStory> {
  await moto.reset();
  const aws = seedClients(moto);
  await compliantScenario(aws);
  const serve = await startServe(['--data', dataDir], {
    ...motoEnv(moto),
    TRAILCHECK_API_TOKEN: STORY_ADMIN_TOKEN,
  });
  const scan = async () => {
    const done = await scanNow(serve.url, STORY_ADMIN_TOKEN, STORY_REQUEST);
    if (done.status !== 'done') throw new Error(`scan ${done.id} failed: ${String(done.error)}`);
    return done.id;
  };
  try {
    let baselineScan = await scan();
    for (let i = 1; i < baselines; i++) baselineScan = await scan();
    await aws.cloudtrail('us-east-1').send(new StopLoggingCommand({ Name: STORY_TRAIL }));
    const brokenScan = await scan();
    return { serve, baselineScan, brokenScan };
  } catch (error) {
    await serve.stop();
    throw error;
  }
}
