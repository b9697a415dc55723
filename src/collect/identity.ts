import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClientFactory } from '../aws/clients.js';
import { NOT_AWS_CODE, describeFailure, explainFailure } from '../aws/errors.js';
import { CannotRunError } from '../util/errors.js';

export interface CallerIdentity {
  Account: string;
  Arn: string;
  Partition: string;
}

/** The partition is the second field of any ARN: arn:PARTITION:service:… */
export function partitionOfArn(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/**
 * Who the scan runs as. Without an identity there is nothing to assess, so every failure here ends the
 * run with one line that says what to do.
 */
export async function getCallerIdentity(
  factory: AwsClientFactory,
  region: string,
  profile: string | undefined,
): Promise<CallerIdentity> {
  try {
    const out = await factory.sts(region).send(new GetCallerIdentityCommand({}));
    if (!out.Account || !out.Arn)
      throw new CannotRunError('AWS STS returned no account id for these credentials.');
    return { Account: out.Account, Arn: out.Arn, Partition: partitionOfArn(out.Arn) };
  } catch (error) {
    if (error instanceof CannotRunError) throw error;
    const failure = describeFailure(error, 'sts', 'GetCallerIdentity', region);
    const raw = failure.message;
    if (failure.kind === 'no-credentials' || failure.code === 'CredentialsProviderError') {
      // The profile exists (checked before any call): it is its credentials that are missing or expired.
      if (profile !== undefined) {
        throw new CannotRunError(
          `AWS profile '${profile}' has no usable credentials (${raw}). Run 'aws sso login --profile ${profile}' if it uses SSO, or give it keys or a role in ~/.aws/config.`,
        );
      }
      throw new CannotRunError(
        "no AWS credentials found: set AWS_PROFILE or pass --profile, run 'aws sso login', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
      );
    }
    if (failure.kind === 'invalid-credentials') {
      throw new CannotRunError(
        `AWS rejected the credentials (${failure.code}): they are invalid or expired. Refresh them (for SSO: 'aws sso login') and run again.`,
      );
    }
    if (failure.code === NOT_AWS_CODE) {
      const endpoint = process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
      throw new CannotRunError(
        `${endpoint !== undefined ? `the endpoint ${endpoint}` : 'the endpoint'} answered sts:GetCallerIdentity with ${failure.message}, not as AWS STS does: it is not an AWS endpoint; check ${process.env.AWS_ENDPOINT_URL_STS !== undefined ? 'AWS_ENDPOINT_URL_STS' : 'AWS_ENDPOINT_URL'}.`,
      );
    }
    if (failure.kind === 'network' || failure.kind === 'timeout') {
      throw new CannotRunError(
        `cannot reach AWS STS in ${region} (${failure.code}): check the network connection${process.env.AWS_ENDPOINT_URL ? ` and AWS_ENDPOINT_URL (${process.env.AWS_ENDPOINT_URL})` : ''}.`,
      );
    }
    throw new CannotRunError(`cannot identify the AWS account: ${explainFailure(failure)}.`);
  }
}
