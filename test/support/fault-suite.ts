/** A moto server per test file with a fault proxy in front of it, and scan settings that fail fast. */
import { after, before, beforeEach } from 'node:test';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsAccessOptions } from '../../src/aws/clients.js';
import { motoAccess, seedClients, TEST_CREDENTIALS } from './aws.js';
import type { SeedClients } from './aws.js';
import { FaultProxy } from './fault-proxy.js';
import type { MotoSuite } from './moto-suite.js';
import { MotoServer } from './moto.js';

export interface FaultSuite extends MotoSuite {
  readonly proxy: FaultProxy;
  /** How trailcheck reaches moto through the proxy: two attempts per call, half a second per attempt. */
  readonly access: AwsAccessOptions;
}

export function useFaultProxy(): FaultSuite {
  let moto: MotoServer | undefined;
  let clients: SeedClients | undefined;
  let proxy: FaultProxy | undefined;
  // One hook, so the proxy starts only once moto is up.
  before(async () => {
    moto = await MotoServer.start();
    // moto imports its EC2 service on the first EC2 call, which takes most of a second. A scan asks EC2 for
    // the Regions at the same time as STS for the identity, and the single moto process would hold the
    // identity's answer past the 500 ms per attempt these tests allow: warm EC2 up once, before any test.
    const ec2 = new EC2Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    await ec2.send(new DescribeRegionsCommand({})).finally(() => ec2.destroy());
    clients = seedClients(moto);
    proxy = await FaultProxy.start(moto.endpoint);
  });
  beforeEach(async () => {
    proxy?.clearRules();
    await moto?.reset();
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });
  const running = () => {
    if (!proxy || !moto || !clients) throw new Error('moto and the fault proxy are not running');
    return { proxy, moto, clients };
  };
  return {
    get moto() {
      return running().moto;
    },
    get aws() {
      return running().clients;
    },
    get proxy() {
      return running().proxy;
    },
    get access(): AwsAccessOptions {
      const { moto: server, proxy: faults } = running();
      return {
        ...motoAccess(server),
        endpoint: faults.endpoint,
        maxAttempts: 2,
        requestTimeoutMs: 500,
        regionTimeoutMs: 30_000,
      };
    },
  };
}
