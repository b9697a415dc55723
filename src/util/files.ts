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

/** More levels than any real path has: the walk up to an existing directory is bounded by this. */
const MAX_DIRECTORY_DEPTH = 256;

function cannotCreate(path: string, code: string | undefined, error?: unknown): UsageError {
  const why =
    code === 'ENOTDIR'
      ? 'part of the path is a file, not a directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : (code ?? String(error));
  return new UsageError(`cannot create directory ${path} (${why}).`);
}

/**
 * Creates a directory (and parents) for outputs the user asked for. One level at a time, not with Node's
 * recursive mkdir: that one loops forever at full CPU where a directory can never be made (under /proc).
 * Finds the deepest existing ancestor, then makes each missing level once; any failure is one line.
 */
export async function ensureDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(path);
  for (let depth = 0; ; depth++) {
    if (depth > MAX_DIRECTORY_DEPTH) throw cannotCreate(path, 'the path is too deep');
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw cannotCreate(path, 'ENOTDIR');
      break;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = codeOf(error);
      if (code !== 'ENOENT') throw cannotCreate(path, code, error);
      const parent = dirname(current);
      // The root always exists; reaching it without finding a directory means the path cannot be made.
      if (parent === current) throw cannotCreate(path, code, error);
      missing.push(current);
      current = parent;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (error) {
      const code = codeOf(error);
      // Another run may have made it meanwhile; that is fine if it is a directory.
      if (code === 'EEXIST' && (await stat(dir).catch(() => undefined))?.isDirectory()) continue;
      // ENOENT for a parent that exists: a file system such as /proc that takes no new directories.
      throw cannotCreate(
        path,
        code === 'ENOENT' ? `no directory can be made in ${dirname(dir)}` : code,
        error,
      );
    }
  }
}
