/** The name of the account-level finding about global resource types (the others are named by Region). */
export const GLOBAL_TYPES = 'global resource types';

/** AWS Config's service-linked role: what a new recorder uses when no role is known. */
export function configServiceRole(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
}
