/** Quotes a value for a POSIX shell only when it needs it, so commands stay readable and paste safely. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@,+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A value passed to the shell as written, e.g. a variable set by an earlier command: "$KEY_ID". */
export interface RawShell {
  raw: string;
}

export type CliValue = string | true | RawShell | undefined;

/** `aws <service> <command> --flag value …`, each value quoted as needed. Flags set to `true` are bare. */
export function awsCli(service: string, command: string, args: Record<string, CliValue>): string {
  const parts = ['aws', service, command];
  for (const [flag, value] of Object.entries(args)) {
    if (value === undefined) continue;
    parts.push(`--${flag}`);
    if (value === true) continue;
    parts.push(typeof value === 'string' ? shellQuote(value) : value.raw);
  }
  return parts.join(' ');
}
