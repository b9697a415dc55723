import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { UsageError } from '../util/errors.js';

/**
 * A --profile that names nothing is a typo, not a credentials problem: say so before the SDK's generic
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
