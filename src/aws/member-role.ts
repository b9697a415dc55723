/**
 * The role trailcheck assumes in each member account of an organization, and the values that name it,
 * checked the way IAM and STS check them, so a bad value is refused before a policy or a call is made.
 */
import { UsageError } from '../util/errors.js';
import { oneLine } from '../util/text.js';

/** The role Organizations creates in every account it creates: an administrator role. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/** The dedicated read-only role trailcheck recommends instead (created by `iam-policy --for org`). */
export const RECOMMENDED_AUDIT_ROLE = 'TrailcheckAudit';

/** IAM's own rule for a role name (CreateRole): 1 to 64 of letters, digits and +=,.@_- */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** STS's rule for an external id (AssumeRole): 2 to 1,224 of letters, digits and +=,.@:/_- */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const ACCOUNT_ID = /^\d{12}$/;

const shown = (value: string) => `'${oneLine(value, 60)}'`;

export function parseRoleName(value: string, flag = '--role-name'): string {
  if (!ROLE_NAME.test(value))
    throw new UsageError(
      `${flag} takes an IAM role name: 1 to 64 letters, digits or +=,.@_- (not ${shown(value)}), e.g. ${flag} ${RECOMMENDED_AUDIT_ROLE}.`,
    );
  return value;
}

export function parseExternalId(value: string, flag = '--external-id'): string {
  if (!EXTERNAL_ID.test(value))
    throw new UsageError(
      `${flag} takes 2 to 1224 letters, digits or +=,.@:/_- as STS requires (not ${shown(value)}).`,
    );
  return value;
}

export function parseAccountId(value: string, flag: string): string {
  if (!ACCOUNT_ID.test(value))
    throw new UsageError(`${flag} takes a 12-digit AWS account id (not ${shown(value)}).`);
  return value;
}
