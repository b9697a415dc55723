import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { UsageError } from '../util/errors.js';

/**
 * The profile the SDK will use: --profile, else AWS_PROFILE, which the SDK reads by itself. Both are
 * checked the same way, so a typo in either gets the same line and exit code.
 */
export function profileInUse(profile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (profile !== undefined) return profile;
  const fromEnv = env.AWS_PROFILE?.trim();
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/**
 * A --profile (or AWS_PROFILE) that names nothing is a typo, not a credentials problem: say so before the SDK's generic
 * "could not load credentials" hides it. Reads the same files the SDK does (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE are honoured).
 */
export async function assertProfileExists(profile: string): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  if (profile in configFile || profile in credentialsFile) return;
  const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort();
  throw new UsageError(
    `AWS profile '${profile}' was not found in the AWS config or credentials file${known.length > 0 ? `; known profiles: ${known.join(', ')}` : ''}.`,
  );
}
