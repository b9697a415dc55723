/**
 * Suggested names for resources a fix creates. Bucket names: 3–63 characters of lowercase letters,
 * digits, dots and hyphens, starting and ending with a letter or digit.
 */
export function suggestBucketName(base: string, suffix: string): string {
  const cleaned = base.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  const room = 63 - suffix.length - 1;
  const head = cleaned.slice(0, Math.max(3, room)).replace(/[.-]+$/, '');
  return `${head}-${suffix}`;
}

/**
 * The first of `candidate(1)`, `candidate(2)`, … that is not taken: the name a fix creates must not be one
 * that already exists (a bucket it would then claim, and delete on rollback, as its own).
 */
export function firstFree(candidate: (n: number) => string, taken: (name: string) => boolean): string {
  for (let n = 1; n < 100; n++) {
    const name = candidate(n);
    if (!taken(name)) return name;
  }
  return candidate(100);
}
