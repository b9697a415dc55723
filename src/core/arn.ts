/** ARN helpers: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. */

/** The account of an ARN (arn:partition:service:region:ACCOUNT:resource). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]` → its parts; undefined for anything else. */
export function parseLogGroupArn(
  arn: string,
): { region: string; account: string; logGroupName: string } | undefined {
  const match = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  if (!match) return undefined;
  const [, region = '', account = '', logGroupName = ''] = match;
  return { region, account, logGroupName };
}
