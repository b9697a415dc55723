/**
 * Which management-event sources a CIS monitoring pattern needs a trail to record. CloudTrail lets a trail
 * leave out the management events of two high-volume sources (a basic selector's
 * ExcludeManagementEventSources, or an advanced selector's `eventSource NotEquals`): AWS KMS and the RDS
 * Data API. Such a trail still records what most patterns watch; it fails only the checks whose pattern
 * catches events of a left-out source. That is read from the pattern itself: a term pinning
 * `$.eventSource` to the source, or, without one, an `$.eventName` term naming one of the source's events.
 * A pattern about something else (root use, error codes) pins no source and needs none of them, as CIS
 * and Security Hub judge it.
 */
import { disjuncts, globMatches } from './filter-pattern.js';
import type { Expression } from './filter-pattern.js';

/**
 * The sources a trail may leave out, with the event names each records (its API operations). KMS's list
 * is checked against the operations of @aws-sdk/client-kms by a test, so a new operation shows up; the
 * RDS Data API's is its six operations.
 */
export const EXCLUDABLE_EVENT_SOURCES: Readonly<Record<string, readonly string[]>> = {
  'kms.amazonaws.com': [
    'CancelKeyDeletion',
    'ConnectCustomKeyStore',
    'CreateAlias',
    'CreateCustomKeyStore',
    'CreateGrant',
    'CreateKey',
    'Decapsulate',
    'Decrypt',
    'DeleteAlias',
    'DeleteCustomKeyStore',
    'DeleteImportedKeyMaterial',
    'DeriveSharedSecret',
    'DescribeCustomKeyStores',
    'DescribeKey',
    'DisableKey',
    'DisableKeyRotation',
    'DisconnectCustomKeyStore',
    'EnableKey',
    'EnableKeyRotation',
    'Encapsulate',
    'Encrypt',
    'GenerateDataKey',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
    'GenerateDataKeyWithoutPlaintext',
    'GenerateMac',
    'GenerateRandom',
    'GetKeyLastUsage',
    'GetKeyPolicy',
    'GetKeyRotationStatus',
    'GetParametersForImport',
    'GetPublicKey',
    'ImportKeyMaterial',
    'ListAliases',
    'ListGrants',
    'ListKeyPolicies',
    'ListKeyRotations',
    'ListKeys',
    'ListResourceTags',
    'ListRetirableGrants',
    'PutKeyPolicy',
    'ReEncrypt',
    'ReplicateKey',
    'RetireGrant',
    'RevokeGrant',
    'RotateKeyOnDemand',
    'ScheduleKeyDeletion',
    'Sign',
    'TagResource',
    'UntagResource',
    'UpdateAlias',
    'UpdateCustomKeyStore',
    'UpdateKeyDescription',
    'UpdatePrimaryRegion',
    'Verify',
    'VerifyMac',
  ],
  'rdsdata.amazonaws.com': [
    'BatchExecuteStatement',
    'BeginTransaction',
    'CommitTransaction',
    'ExecuteSql',
    'ExecuteStatement',
    'RollbackTransaction',
  ],
};

/** The positive string values a conjunction compares `path` with. */
function equalsValues(conjunction: readonly Expression[], path: string): string[] {
  return conjunction.flatMap((atom) =>
    atom.kind === 'test' && atom.path === path && atom.test.op === '=' && atom.test.value.kind === 'string'
      ? [atom.test.value.text]
      : [],
  );
}

/** Can an event of `source` satisfy this conjunction's source and event-name terms, which pin it? */
function conjunctionNeeds(conjunction: readonly Expression[], source: string): boolean {
  const sources = equalsValues(conjunction, '$.eventSource');
  if (sources.length > 0) return sources.every((glob) => globMatches(glob, source));
  const names = equalsValues(conjunction, '$.eventName');
  if (names.length === 0) return false;
  return (EXCLUDABLE_EVENT_SOURCES[source] ?? []).some((name) =>
    names.every((glob) => globMatches(glob, name)),
  );
}

/**
 * The excludable sources whose events the patterns (a check's pattern and the alternatives CIS accepts)
 * catch, sorted. A pattern too large to expand needs them all: doubt keeps the stricter requirement.
 */
export function neededExcludableSources(meanings: readonly Expression[]): string[] {
  const all = Object.keys(EXCLUDABLE_EVENT_SOURCES).sort();
  return all.filter((source) =>
    meanings.some((meaning) => {
      const conjunctions = disjuncts(meaning);
      return conjunctions === null || conjunctions.some((c) => conjunctionNeeds(c, source));
    }),
  );
}

/** The excludable sources a trail may leave out and still serve the patterns: the others. */
export function toleratedExclusions(meanings: readonly Expression[]): string[] {
  const needed = new Set(neededExcludableSources(meanings));
  return Object.keys(EXCLUDABLE_EVENT_SOURCES)
    .sort()
    .filter((s) => !needed.has(s));
}
