/**
 * Who may ask what. Every request but /healthz carries a bearer token (`Authorization: Bearer …`) or the
 * dashboard's session cookie. Tokens (TRAILCHECK_API_TOKEN's too) are stored only as SHA-256 hashes. 'read' tokens look; 'admin' tokens also start scans and change
 * schedules, suppressions and tokens.
 */
import { randomBytes } from 'node:crypto';
import type { Store, Token, TokenRole } from '../store/store.js';
import { sha256 } from '../store/store.js';

export const SESSION_COOKIE = 'trailcheck_session';
/** A dashboard session lasts a working day. */
export const SESSION_HOURS = 12;

export function newSecret(prefix: 'tc' | 'ses'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export interface Caller {
  token: Token;
  via: 'bearer' | 'session';
}

export const ENV_TOKEN_NAME = 'TRAILCHECK_API_TOKEN';

export class Authenticator {
  constructor(private readonly store: Store) {}

  /**
   * TRAILCHECK_API_TOKEN becomes an admin token (stored as its hash); a different value set before is
   * revoked, so changing the variable locks out the old one.
   */
  async adoptEnvToken(secret: string): Promise<void> {
    await this.store.revokeTokensNamed(ENV_TOKEN_NAME, sha256(secret));
    if (!(await this.store.tokenBySecret(secret)))
      await this.store.createToken(ENV_TOKEN_NAME, 'admin', secret);
  }

  async byToken(secret: string): Promise<Token | undefined> {
    if (secret === '') return undefined;
    return this.store.tokenBySecret(secret);
  }

  async bySession(secret: string): Promise<Token | undefined> {
    if (secret === '') return undefined;
    return this.store.tokenBySession(secret);
  }

  /** A new session for a token; the cookie's value (returned) is stored only as a hash. */
  async openSession(token: Token): Promise<{ secret: string; expires: Date }> {
    const secret = newSecret('ses');
    const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
    await this.store.createSession(token.id, secret, expires.toISOString());
    return { secret, expires };
  }

  /**
   * At first start (no token stored) makes an admin token and returns it, to be shown once; it is
   * stored only as its hash.
   */
  async firstToken(): Promise<string | undefined> {
    if ((await this.store.countTokens()) > 0) return undefined;
    const secret = newSecret('tc');
    await this.store.createToken('first admin token', 'admin', secret);
    return secret;
  }

  async createToken(name: string, role: TokenRole): Promise<{ token: Token; secret: string }> {
    const secret = newSecret('tc');
    return { token: await this.store.createToken(name, role, secret), secret };
  }
}
