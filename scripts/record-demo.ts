/**
 * Records the demo snapshot: starts moto, seeds the seed-report scenario through the real AWS API, and runs
 * `trailcheck collect` against it exactly as a user would (AWS_ENDPOINT_URL). `npm run demo:record`.
 * The demo-in-step test runs the same recording and compares, so the shipped file cannot go stale.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_SNAPSHOT } from '../src/cli/commands/demo.js';
import { packageRoot } from '../src/util/package-root.js';
import { motoEnv, seedClients } from '../test/support/aws.js';
import { MotoServer } from '../test/support/moto.js';
import { seedScenario } from '../test/support/scenarios/seed.js';

const run = promisify(execFile);

/** Seeds the scenario in a fresh moto and collects it with the CLI into `output`. */
export async function recordDemoSnapshot(output: string): Promise<void> {
  const moto = await MotoServer.start();
  try {
    await moto.reset();
    await seedScenario(seedClients(moto));
    const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
    await run(process.execPath, [cli, 'collect', '--output', output], { env: motoEnv(moto) });
  } finally {
    await moto.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const output = join(packageRoot(), DEMO_SNAPSHOT);
  await recordDemoSnapshot(output);
  console.log(`recorded ${output}`);
}
