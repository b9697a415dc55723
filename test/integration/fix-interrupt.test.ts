/**
 * An interrupted `trailcheck fix --apply`, against moto through the CLI, with every write slowed down by
 * the fault proxy so a signal lands mid-plan: Ctrl-C stops after the call in flight, rolls back and says
 * so (exit 130); SIGKILL leaves a journal from which `fix --rollback` restores the account, and a second
 * `--rollback` does nothing. Each time the account is compared with its before-state, snapshot to snapshot.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { isWriteOperation } from '../../src/fixes/calls.js';
import type { JournalRecord } from '../../src/remediate/journal.js';
import { TEST_CREDENTIALS, motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { REGIONS, comparable, differences } from '../support/fix.js';
import { collectFromMoto, useMoto } from '../support/moto-suite.js';
import { exposedAccount } from '../support/scenarios/more-builders.js';

const suite = useMoto();
let proxy: FaultProxy | undefined;
/** What a write takes through the proxy: long enough to signal between two steps. */
const WRITE_LATENCY_MS = 400;

/** The fix of the user's report: a new KMS key and alias among policy, trail, role and bucket steps. */
const FIX_CONTROLS = 'CloudTrail.2,CloudTrail.4,CloudTrail.5,CloudTrail.6,CloudTrail.7';

function journalRecords(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as JournalRecord);
}

type Interrupted = CliResult;

/** Runs `fix --apply --yes` through the slow proxy and sends `signal` once `when` holds for the journal. */
function applyAndSignal(
  journal: string,
  signal: NodeJS.Signals,
  when: (records: JournalRecord[]) => boolean,
): Promise<Interrupted> {
  const env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy?.endpoint ?? '' };
  const args = ['fix', ...REGIONS, '--controls', FIX_CONTROLS, '--apply', '--yes', '--journal', journal];
  return runTrailcheck(args, env, 120_000, (child) => {
    const watch = setInterval(() => {
      if (when(journalRecords(journal))) {
        clearInterval(watch);
        child.kill(signal);
      }
    }, 20);
    return () => clearInterval(watch);
  });
}

/** moto's endpoint with the test credentials in a profile `audit` of a shared credentials file only. */
function profileEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'trailcheck-profile-'));
  writeFileSync(join(dir, 'config'), '[profile audit]\nregion = us-east-1\n');
  writeFileSync(
    join(dir, 'credentials'),
    `[audit]\naws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}\n`,
  );
  const env = { ...motoEnv(suite.moto) };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_REGION;
  return {
    ...env,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  };
}

const stepsWith = (records: JournalRecord[], type: JournalRecord['type']) =>
  records.flatMap((r) => (r.type === type && 'step' in r ? [r.step] : []));

describe('an interrupted fix --apply', () => {
  // Inside the suite, so moto (started by the file's own hook) is up first.
  before(async () => {
    proxy = await FaultProxy.start(suite.moto.endpoint);
    proxy.addRule({
      match: (request) => isWriteOperation(request.operation),
      fault: { kind: 'delay', ms: WRITE_LATENCY_MS },
    });
  });
  after(async () => {
    await proxy?.stop();
  });

  it('Ctrl-C after step 3: the call in flight finishes, the steps done are undone, exit 130', async () => {
    await exposedAccount(suite.aws);
    const beforeSnapshot = await collectFromMoto(suite, { controls: CONTROLS });
    const beforeState = comparable(beforeSnapshot);
    const journal = join(mkdtempSync(join(tmpdir(), 'trailcheck-interrupt-')), 'run.jsonl');

    const run = await applyAndSignal(journal, 'SIGINT', (r) => stepsWith(r, 'outcome').length >= 3);
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`recording the changes in ${journal}`));
    assert.match(run.stderr, /SIGINT: stopping after the call in flight; the steps done will be undone/);
    assert.match(run.stdout, /Interrupted, so the \d+ steps done were undone, last first:/);
    assert.match(
      run.stdout,
      /The account now:\n {2}- Changed and put back \(or removed again\): step 1, 2, 3/,
    );
    assert.match(run.stdout, /Never run: step \d+(, \d+)* \(interrupted before them\)/);
    assert.match(run.stdout, new RegExp(`The journal of this run: ${journal}`));

    const records = journalRecords(journal);
    const done = stepsWith(records, 'outcome');
    assert.ok(done.length >= 3 && done.length < (records[0]?.type === 'start' ? records[0].steps : 0));
    assert.deepEqual(stepsWith(records, 'intent'), done, 'every call announced had its outcome recorded');
    assert.deepEqual(stepsWith(records, 'undo'), [...done].reverse(), 'undone last first');
    assert.deepEqual(records.at(-1)?.type === 'end' && records.at(-1), {
      type: 'end',
      result: 'interrupted',
      at: records.at(-1)?.at,
    });

    const afterState = comparable(await collectFromMoto(suite, { controls: CONTROLS }), beforeSnapshot);
    assert.deepEqual(differences(beforeState, afterState), [], 'the account is as it was');

    // Everything it did is undone already: --rollback finds nothing to do.
    const again = await runTrailcheck(['fix', '--rollback', journal], motoEnv(suite.moto));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Nothing left to undo in account 123456789012/);
  });

  it('SIGKILL mid-step, then fix --rollback JOURNAL restores the account; a second rollback does nothing', async () => {
    await exposedAccount(suite.aws);
    const beforeSnapshot = await collectFromMoto(suite, { controls: CONTROLS });
    const beforeState = comparable(beforeSnapshot);
    const journal = join(mkdtempSync(join(tmpdir(), 'trailcheck-kill-')), 'run.jsonl');

    // Killed while step 6's call is in flight: its intent is on disk, its outcome never will be.
    const run = await applyAndSignal(journal, 'SIGKILL', (r) => stepsWith(r, 'intent').includes(6));
    assert.equal(run.signal, 'SIGKILL');
    const killed = journalRecords(journal);
    assert.deepEqual(stepsWith(killed, 'outcome'), [1, 2, 3, 4, 5]);
    assert.deepEqual(stepsWith(killed, 'undo'), []);
    // The proxy still passes the orphaned call on; let it land (or not) before rolling back.
    await new Promise((resolve) => setTimeout(resolve, WRITE_LATENCY_MS + 600));

    // As the user runs it: credentials from a named profile, not the environment.
    const rollback = await runTrailcheck(['fix', '--rollback', journal, '--profile', 'audit'], profileEnv());
    assert.equal(rollback.code, 0, rollback.stdout + rollback.stderr);
    assert.match(rollback.stdout, /^Rolling back account 123456789012 from the journal /);
    assert.match(rollback.stdout, /Step 6 was sent but its outcome was never recorded/);
    assert.match(rollback.stdout, /Every step the run had done is undone/);
    const records = journalRecords(journal);
    assert.deepEqual(stepsWith(records, 'undo'), [6, 5, 4, 3, 2, 1]);

    const afterState = comparable(await collectFromMoto(suite, { controls: CONTROLS }), beforeSnapshot);
    assert.deepEqual(differences(beforeState, afterState), [], 'the account is as it was');

    const text = readFileSync(journal, 'utf8');
    const second = await runTrailcheck(['fix', '--rollback', journal], motoEnv(suite.moto));
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Nothing left to undo/);
    assert.equal(
      readFileSync(journal, 'utf8'),
      text,
      'the second rollback changed nothing, not even the journal',
    );
  });

  it('fix --rollback refuses a missing or corrupt journal in one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailcheck-bad-journal-'));
    const corrupt = join(dir, 'corrupt.jsonl');
    writeFileSync(corrupt, 'not json\n{"type":"end"}\n');
    for (const [path, message] of [
      [join(dir, 'missing.jsonl'), /^trailcheck: the journal .*missing\.jsonl does not exist\.\n$/],
      [corrupt, /^trailcheck: the journal .*corrupt\.jsonl is corrupt at line 1;[^\n]*\n$/],
    ] as const) {
      const result = await runTrailcheck(['fix', '--rollback', path], motoEnv(suite.moto));
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    // A journal with a step left to undo: the account and the profile are checked before any undo.
    const pending = join(dir, 'pending.jsonl');
    writeFileSync(
      pending,
      [
        { type: 'start', version: 1, tool: 't', account: '999999999999', at: 'x', steps: 1 },
        {
          type: 'intent',
          step: 1,
          operation: 'cloudtrail:StartLogging',
          region: 'us-east-1',
          input: { Name: 'Audit' },
          call: {
            service: 'cloudtrail',
            operation: 'StartLogging',
            region: 'us-east-1',
            input: { Name: 'Audit' },
          },
          undo: {
            kind: 'revert',
            calls: [
              {
                service: 'cloudtrail',
                operation: 'StopLogging',
                region: 'us-east-1',
                input: { Name: 'Audit' },
              },
            ],
            exact: true,
            note: 'stop trail Audit again',
          },
          at: 'x',
        },
      ]
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    const other = await runTrailcheck(['fix', '--rollback', pending], motoEnv(suite.moto));
    assert.equal(other.code, 2, other.stdout + other.stderr);
    assert.match(
      other.stderr,
      /^trailcheck: the journal .* records changes to account 999999999999, but these credentials are for account 123456789012; give --profile for account 999999999999\.$/m,
    );
    const typo = await runTrailcheck(['fix', '--rollback', pending, '--profile', 'nope'], profileEnv());
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^trailcheck: AWS profile 'nope' was not found/m);

    const mixed = await runTrailcheck(['fix', '--rollback', corrupt, '--apply'], motoEnv(suite.moto));
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /^trailcheck: --rollback undoes what its journal records and takes only/);
  });
});
