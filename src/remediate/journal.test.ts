/**
 * The journal on disk: records survive as whole lines, a line torn by a crash is dropped (and cut off
 * before a rollback appends), and a journal that is missing or corrupt is refused in one line.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../util/errors.js';
import { JournalWriter, defaultJournalPath, readJournal } from './journal.js';

const dir = () => mkdtempSync(join(tmpdir(), 'trailcheck-journal-'));

function started(path: string): JournalWriter {
  const writer = JournalWriter.create(path, true);
  writer.append({ type: 'start', version: 1, tool: 'test', account: '123456789012', steps: 2 });
  writer.append({ type: 'outcome', step: 1, status: 'done' });
  return writer;
}

/** The error a read gives, which must be a UsageError of one line. */
function refusal(path: string): string {
  try {
    readJournal(path);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    assert.ok(!error.message.includes('\n'));
    return error.message;
  }
  assert.fail('the journal was accepted');
}

describe('the journal', () => {
  it('is named by account and UTC time under ./.trailcheck/journal/', () => {
    assert.equal(
      defaultJournalPath('123456789012', new Date('2026-11-29T15:02:25.123Z'), '/w'),
      '/w/.trailcheck/journal/123456789012-20261129T150225Z.jsonl',
    );
  });

  it('reads back what was appended, one JSON line a record', () => {
    const path = join(dir(), 'j.jsonl');
    started(path).close();
    const records = readJournal(path);
    assert.deepEqual(
      records.map((r) => r.type),
      ['start', 'outcome'],
    );
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 3);
  });

  it('drops a torn last line, and a rollback cuts it off before appending', () => {
    const path = join(dir(), 'j.jsonl');
    started(path).close();
    appendFileSync(path, '{"type":"outcome","step":2,"sta');
    assert.deepEqual(
      readJournal(path).map((r) => r.type),
      ['start', 'outcome'],
    );
    const writer = JournalWriter.reopen(path);
    writer.append({ type: 'undo', step: 1, status: 'reverted', commands: [] });
    writer.close();
    assert.deepEqual(
      readJournal(path).map((r) => r.type),
      ['start', 'outcome', 'undo'],
    );
  });

  it('refuses a corrupt line that is not the last, a file that is not a journal, and a missing file', () => {
    const path = join(dir(), 'j.jsonl');
    started(path).close();
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.replace('"outcome"', '"nonsense"'));
    assert.match(refusal(path), /^the journal .* is corrupt at line 2;/);
    writeFileSync(path, 'hello\n');
    assert.match(refusal(path), /is corrupt at line 1/);
    writeFileSync(path, `${good.split('\n')[1] ?? ''}\n`);
    assert.match(refusal(path), /is not a trailcheck journal \(it has no start record\)/);
    assert.match(refusal(join(dir(), 'none.jsonl')), /^the journal .*none\.jsonl does not exist\.$/);
  });

  it('never overwrites a journal: an explicit name that exists is refused', () => {
    const path = join(dir(), 'j.jsonl');
    started(path).close();
    assert.throws(() => JournalWriter.create(path, true), /exists already/);
    const second = JournalWriter.create(path, false);
    assert.notEqual(second.path, path);
    second.close();
  });
});
