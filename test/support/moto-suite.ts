/**
 * One moto server per test file: started before the file's tests, reset (and id-seeded) before each test,
 * stopped after. Tests seed scenarios through the real API and scan with trailcheck's real collector.
 */
import { after, before, beforeEach } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { collect } from '../../src/collect/index.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import type { Assessment } from '../../src/judge/assess.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { motoAccess, seedClients } from './aws.js';
import type { SeedClients } from './aws.js';
import { MotoServer } from './moto.js';

export interface MotoSuite {
  readonly moto: MotoServer;
  readonly aws: SeedClients;
}

export function useMoto(): MotoSuite {
  let server: MotoServer | undefined;
  let clients: SeedClients | undefined;
  before(async () => {
    server = await MotoServer.start();
    clients = seedClients(server);
  });
  beforeEach(async () => {
    await server?.reset();
  });
  after(async () => {
    await server?.stop();
  });
  return {
    get moto() {
      if (!server) throw new Error('moto is not running');
      return server;
    },
    get aws() {
      if (!clients) throw new Error('moto is not running');
      return clients;
    },
  };
}

export interface ScanOptions {
  controls?: readonly ControlDefinition[];
  regions?: string[];
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export async function collectFromMoto(suite: MotoSuite, options: ScanOptions = {}): Promise<Snapshot> {
  return collect({
    access: motoAccess(suite.moto, options.credentials),
    regions: options.regions ?? ['us-east-1', 'eu-west-1'],
    controls: options.controls ?? CONTROLS,
  });
}

/** Collect from moto and assess, as `trailcheck scan` does. Two Regions unless told otherwise. */
export async function scanMoto(suite: MotoSuite, options: ScanOptions = {}): Promise<Assessment> {
  const snapshot = await collectFromMoto(suite, options);
  return assess(snapshot, options.controls ?? CONTROLS);
}

/**
 * Creates an IAM user allowed exactly `actions`, then switches moto to enforce IAM. Returns its keys.
 * (moto's reset before each test switches enforcement off again.)
 */
export async function restrictedScanner(suite: MotoSuite, actions: readonly string[]) {
  const iam = suite.aws.iam();
  await iam.send(new CreateUserCommand({ UserName: 'trailcheck-scanner' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'trailcheck-scanner',
      PolicyName: 'scan',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: [...actions, 'sts:GetCallerIdentity'], Resource: '*' }],
      }),
    }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'trailcheck-scanner' }));
  const accessKeyId = key.AccessKey?.AccessKeyId;
  const secretAccessKey = key.AccessKey?.SecretAccessKey;
  if (!accessKeyId || !secretAccessKey) throw new Error('moto returned no access key');
  await suite.moto.enforceIam();
  return { accessKeyId, secretAccessKey };
}

/**
 * Creates one IAM user per action list (each allowed exactly those actions, plus sts:GetCallerIdentity),
 * then switches moto to enforce IAM; returns their keys in the same order. For comparing several
 * permission sets against one seeded scenario.
 */
export async function restrictedScanners(suite: MotoSuite, actionSets: ReadonlyArray<readonly string[]>) {
  const iam = suite.aws.iam();
  const keys: Array<{ accessKeyId: string; secretAccessKey: string }> = [];
  for (const [index, actions] of actionSets.entries()) {
    const user = `trailcheck-scanner-${index}`;
    await iam.send(new CreateUserCommand({ UserName: user }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: user,
        PolicyName: 'scan',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: [...actions, 'sts:GetCallerIdentity'], Resource: '*' }],
        }),
      }),
    );
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    const accessKeyId = key.AccessKey?.AccessKeyId;
    const secretAccessKey = key.AccessKey?.SecretAccessKey;
    if (!accessKeyId || !secretAccessKey) throw new Error('moto returned no access key');
    keys.push({ accessKeyId, secretAccessKey });
  }
  await suite.moto.enforceIam();
  return keys;
}

/** The findings of one control in an assessment. */
export function findingsOf(assessment: Assessment, controlId: string) {
  return assessment.findings.filter((f) => f.control === controlId);
}
