/** Pages read per listing before giving up: far above what any account holds, so a loop cannot run away. */
export const MAX_PAGES = 1_000;

/** Every item of a paginated listing, bounded by MAX_PAGES (beyond it the listing fails, never truncates silently). */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const answer = await page(token);
    items.push(...answer.items);
    token = answer.next;
    if (!token) return items;
  }
  throw new Error(`more than ${maxPages} pages`);
}
