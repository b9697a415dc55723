import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

interface NodeError {
  code?: string;
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeError | null)?.code;
}

/** Reads a text file the user named, turning every way that can fail into one plain line. */
export async function readUserFile(path: string, what: string, maxBytes: number): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UsageError(`${what} ${path} is a directory, not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = codeOf(error);
    if (code === 'ENOENT') throw new UsageError(`${what} ${path} does not exist.`);
    if (code === 'EACCES') throw new UsageError(`${what} ${path} cannot be read (permission denied).`);
    throw new UsageError(`${what} ${path} cannot be read (${code ?? String(error)}).`);
  }
  if (size > maxBytes) {
    throw new UsageError(
      `${what} ${path} is ${size} bytes, more than the ${maxBytes}-byte limit; is it the right file?`,
    );
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${path} cannot be read (${codeOf(error) ?? String(error)}).`);
  }
}

/**
 * Writes a file all at once (temporary file, then rename), so an interrupted or failed run never leaves a
 * half-written report in place of a good one.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(`cannot write ${path}: ${dir} is not a directory.`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write ${path}: the directory ${dir} does not exist.`);
  }
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    const code = codeOf(error);
    if (code === 'EISDIR') throw new UsageError(`cannot write ${path}: it is a directory.`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError(`cannot write ${path}: permission denied.`);
    throw new UsageError(`cannot write ${path} (${code ?? String(error)}).`);
  }
}

/** Creates a directory (and parents) for outputs the user asked for. */
export async function ensureDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    const code = codeOf(error);
    const why =
      code === 'ENOTDIR'
        ? 'part of the path is a file, not a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? String(error));
    throw new UsageError(`cannot create directory ${path} (${why}).`);
  }
}
