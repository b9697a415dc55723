/** Where the browser tests find Debian's chromium, and whether they may skip without it. */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** CI=true (or any value but empty, 0 or false) means a missing browser is a failure, not a skip. */
export function onCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** The skip message when the browser test may skip, or false when it must run (and fail without chromium). */
export function browserSkipReason(haveChromium: boolean, env: NodeJS.ProcessEnv): string | false {
  if (haveChromium || onCi(env)) return false;
  return `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser test; under CI=true it fails instead`;
}

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}
