/**
 * What the screenshot scripts share: the checkout's root, atomic PNG writes, and the command line
 * (`--out-dir DIR`, one-line errors, exit 2 for bad flags and 3 when the pictures cannot be taken).
 */
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The checkout's root: the scripts are compiled to dist/scripts/, two folders below it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes next to the target and renames, so a crash never leaves half a PNG in docs/. */
export async function writeAtomically(path: string, content: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** Runs a screenshot script: parses `--out-dir` (default docs/images), takes the pictures, says what it wrote. */
export async function screenshotMain(
  name: string,
  take: (outDir: string) => Promise<string[]>,
  argv: string[],
): Promise<number> {
  let outDir: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'out-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    outDir = resolve(values['out-dir'] ?? join(ROOT, 'docs', 'images'));
  } catch (error) {
    console.error(
      `${name}: ${(error as Error).message.split('\n')[0]} (usage: node dist/scripts/${name}.js [--out-dir DIR])`,
    );
    return 2;
  }
  try {
    for (const path of await take(outDir)) console.log(`wrote ${path}`);
    return 0;
  } catch (error) {
    // Could not run (no chromium, no moto, no build): one line, as trailcheck's own exit 3.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.error(`${name}: ${message}`);
    return 3;
  }
}
