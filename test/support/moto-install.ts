/**
 * Finds a Python interpreter with the pinned moto (server extras included), or installs one into a
 * project-local virtual environment. The pinned version is the one whose quirks the contract test records.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export const MOTO_VERSION = '5.2.1';

const CHECK = `import importlib.metadata as m, moto.server, flask; print(m.version("moto"))`;

function cacheDir(): string {
  return join(packageRoot(), '.cache');
}

function venvPython(): string {
  return join(cacheDir(), 'moto-venv', 'bin', 'python');
}

function markerFile(): string {
  return join(cacheDir(), 'moto-python');
}

/** The moto version an interpreter has, or undefined if it cannot serve moto. */
function motoVersionOf(python: string): string | undefined {
  try {
    return execFileSync(python, ['-c', CHECK], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }).trim();
  } catch {
    return undefined;
  }
}

function candidates(): string[] {
  const list = [process.env.TRAILCHECK_MOTO_PYTHON, venvPython(), 'python3'];
  return list.filter((c): c is string => c !== undefined && c !== '');
}

/** An interpreter that runs the pinned moto, without installing anything. */
export function findMotoPython(): string | undefined {
  if (existsSync(markerFile())) {
    const remembered = readFileSync(markerFile(), 'utf8').trim();
    if (remembered !== '' && motoVersionOf(remembered) === MOTO_VERSION) return remembered;
  }
  for (const python of candidates()) {
    if (python !== venvPython() || existsSync(python)) {
      if (motoVersionOf(python) === MOTO_VERSION) return python;
    }
  }
  return undefined;
}

/** Finds the pinned moto, or installs it into .cache/moto-venv from PyPI. Returns the interpreter. */
export function ensureMoto(log: (line: string) => void = () => undefined): string {
  let python = findMotoPython();
  if (!python) {
    log(`moto ${MOTO_VERSION} not found; installing it into .cache/moto-venv`);
    mkdirSync(cacheDir(), { recursive: true });
    const venv = join(cacheDir(), 'moto-venv');
    if (!existsSync(venvPython())) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(
      venvPython(),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`],
      {
        stdio: 'inherit',
        timeout: 600_000,
      },
    );
    if (motoVersionOf(venvPython()) !== MOTO_VERSION) {
      throw new Error(`installing moto ${MOTO_VERSION} into ${venv} did not give a working moto server`);
    }
    python = venvPython();
  }
  mkdirSync(cacheDir(), { recursive: true });
  writeFileSync(markerFile(), `${python}\n`);
  return python;
}
