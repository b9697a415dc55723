/** ARN helpers: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. */

/** The account of an ARN (arn:partition:service:region:ACCOUNT:resource). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
