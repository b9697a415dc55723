/**
 * The peers the benchmark runs are Python tools, each pinned and installed from PyPI into a virtual
 * environment of its own under .cache/ (their dependencies clash), and reused while the pinned version is
 * the one installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';

export interface PinnedTool {
  /** The PyPI distribution, e.g. `prowler` or `c7n`. */
  distribution: string;
  version: string;
  /** The console script it installs, e.g. `prowler` or `custodian`. */
  command: string;
  /** The folder under .cache/, e.g. `prowler-venv`. */
  venv: string;
  /** Said before installing, after the standard words (size, duration). */
  installNote?: string;
  installTimeoutMs: number;
}

function python(tool: PinnedTool): string {
  return join(packageRoot(), '.cache', tool.venv, 'bin', 'python');
}

function installedVersion(tool: PinnedTool): string | undefined {
  if (!existsSync(python(tool))) return undefined;
  try {
    const script = `import importlib.metadata as m; print(m.version(${JSON.stringify(tool.distribution)}))`;
    return execFileSync(python(tool), ['-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }).trim();
  } catch {
    return undefined;
  }
}

/** Makes sure the pinned version is installed (from PyPI if not); returns the path of its command. */
export function ensurePinnedTool(tool: PinnedTool, log: (line: string) => void = () => undefined): string {
  const venv = join(packageRoot(), '.cache', tool.venv);
  const executable = join(venv, 'bin', tool.command);
  if (installedVersion(tool) === tool.version) return executable;
  log(
    `${tool.distribution} ${tool.version} not found; installing it into .cache/${tool.venv}${tool.installNote ? ` (${tool.installNote})` : ''}`,
  );
  mkdirSync(join(packageRoot(), '.cache'), { recursive: true });
  if (!existsSync(python(tool))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    python(tool),
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `${tool.distribution}==${tool.version}`,
    ],
    { stdio: 'inherit', timeout: tool.installTimeoutMs },
  );
  const version = installedVersion(tool);
  if (version !== tool.version)
    throw new Error(
      `installing ${tool.distribution} ${tool.version} gave ${version ?? `no working ${tool.command}`}`,
    );
  return executable;
}
