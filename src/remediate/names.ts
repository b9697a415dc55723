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
