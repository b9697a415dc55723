/**
 * The Python validators some machine formats are checked with, pinned and installed into a project-local
 * virtual environment (.cache/validators-venv) from PyPI, like moto:
 * - pydantic-ocsf: models generated from the published OCSF schema (it bundles the schema export);
 * - junitparser: the JUnit XML parser of the publish-unit-test-result GitHub action;
 * - cfn-lint: AWS's CloudFormation linter, which checks templates against the resource specification.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export const VALIDATOR_REQUIREMENTS = [
  'pydantic-ocsf==3.0.0',
  'pydantic==2.14.3',
  'junitparser==5.0.3',
  'cfn-lint==1.58.0',
];

function venv(): string {
  return join(packageRoot(), '.cache', 'validators-venv');
}

export function validatorsPython(): string {
  return join(venv(), 'bin', 'python');
}

function marker(): string {
  return join(venv(), 'trailcheck-requirements.txt');
}

const wanted = () => `${VALIDATOR_REQUIREMENTS.join('\n')}\n`;

export function validatorsReady(): boolean {
  return (
    existsSync(validatorsPython()) && existsSync(marker()) && readFileSync(marker(), 'utf8') === wanted()
  );
}

/** Installs the pinned validators if they are not there yet. Returns the interpreter. */
export function ensureValidators(log: (line: string) => void = () => undefined): string {
  if (validatorsReady()) return validatorsPython();
  log(`installing the format validators (${VALIDATOR_REQUIREMENTS.join(', ')}) into .cache/validators-venv`);
  mkdirSync(join(packageRoot(), '.cache'), { recursive: true });
  if (!existsSync(validatorsPython())) execFileSync('python3', ['-m', 'venv', venv()], { stdio: 'inherit' });
  execFileSync(
    validatorsPython(),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...VALIDATOR_REQUIREMENTS],
    { stdio: 'inherit', timeout: 600_000 },
  );
  writeFileSync(marker(), wanted());
  return validatorsPython();
}

/** Runs a validator script from test/support/validators with a document on stdin; returns its stdout. */
export function runValidator(python: string, script: string, input: string, args: string[] = []): string {
  const path = join(packageRoot(), 'test', 'support', 'validators', script);
  try {
    return execFileSync(python, [path, ...args], {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} rejected the document:\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim(), {
      cause: error,
    });
  }
}
