/**
 * A real moto server for integration tests: started on a free loopback port, checked to be the process
 * we started (a port taken by something else must never be mistaken for it), reset between scenarios,
 * stopped at the end.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureMoto, findMotoPython } from './moto-install.js';

/** A port free on loopback now (for servers that take a port number, not 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MotoServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly log: string[],
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<MotoServer> {
    const python = findMotoPython() ?? ensureMoto((line) => process.stderr.write(`${line}\n`));
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const log: string[] = [];
      const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      });
      child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      const server = new MotoServer(child, port, log);
      try {
        await server.waitReady();
        return server;
      } catch (error) {
        lastError = error as Error;
        await server.stop();
      }
    }
    throw lastError ?? new Error('moto did not start');
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`moto_server exited before it was ready:\n${this.log.join('')}`);
      }
      try {
        const response = await fetch(`${this.endpoint}/moto-api/`);
        // Only our own child may answer: it must still be running after the answer.
        if (response.ok && this.child.exitCode === null) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`moto_server did not become ready on port ${this.port}:\n${this.log.join('')}`);
  }

  private async post(path: string, body?: string, contentType?: string): Promise<void> {
    const init: RequestInit = { method: 'POST' };
    if (body !== undefined) init.body = body;
    if (contentType) init.headers = { 'content-type': contentType };
    const response = await fetch(`${this.endpoint}${path}`, init);
    if (!response.ok) throw new Error(`moto ${path} answered ${response.status}: ${await response.text()}`);
  }

  /** Clears every account and Region; then seeds ids so a scenario creates the same ARNs every run. */
  async reset(seed = 42): Promise<void> {
    await this.post('/moto-api/reset-auth', 'inf', 'text/plain');
    await this.post('/moto-api/reset');
    await this.post(`/moto-api/seed?a=${seed}`);
  }

  /** From now on, requests are checked against IAM policies (keys must be created first). */
  async enforceIam(): Promise<void> {
    await this.post('/moto-api/reset-auth', '0', 'text/plain');
  }

  /** Back to accepting any credentials (as after reset), keeping every resource. */
  async stopEnforcingIam(): Promise<void> {
    await this.post('/moto-api/reset-auth', 'inf', 'text/plain');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** The server's output, for diagnosing a failed test. */
  output(): string {
    return this.log.join('');
  }
}
