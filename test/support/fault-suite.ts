/** A moto server per test file with a fault proxy in front of it, and scan settings that fail fast. */
import { after, before, beforeEach } from 'node:test';
import type { AwsAccessOptions } from '../../src/aws/clients.js';
import { motoAccess, seedClients } from './aws.js';
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
