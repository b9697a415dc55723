/** The README's promises that code can check, and the links between it and docs/. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { scanActions } from '../../src/controls/scan-policy.js';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { CONTROLS } from '../../src/controls/index.js';
import { packageRoot } from '../../src/util/package-root.js';

const ROOT = packageRoot();
const readReadme = (): Promise<string> => readFile(join(ROOT, 'README.md'), 'utf8');

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `the README has no section '## ${heading}'`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Markdown without its fenced code blocks, whose `#` lines and brackets are not headings or links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, text = ''] of withoutCode(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

describe('README', () => {
  it('lists every IAM action a scan of every control needs', async () => {
    const readme = (await readReadme()).replace(/\s+/g, ' ');
    for (const action of scanActions(CONTROLS))
      assert.ok(readme.includes(`\`${action}\``), `${action} is missing from the README`);
  });

  it('lists every control', async () => {
    const readme = await readReadme();
    for (const control of CONTROLS)
      assert.match(readme, new RegExp(`^\\| ${control.id.replace('.', '\\.')} +\\|`, 'm'));
  });

  it('sets up a fresh machine in exactly two commands', async () => {
    const block = /```sh\n([\s\S]*?)```/.exec(section(await readReadme(), 'Set-up on a fresh machine'))?.[1];
    assert.ok(block, 'the set-up section has a sh block');
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter((line) => line !== '');
    assert.deepEqual(commands, ['npm ci && npx trailcheck demo', 'npm test']);
  });

  it("names the demo's snapshot, which exists", async () => {
    assert.ok((await readReadme()).includes(`\`${DEMO_SNAPSHOT}\``), `${DEMO_SNAPSHOT} is not named`);
    assert.ok(existsSync(join(ROOT, DEMO_SNAPSHOT)));
  });

  it('says why each dependency in package.json is there', async () => {
    const dependencies = section(await readReadme(), 'Dependencies');
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)])
      assert.ok(dependencies.includes(`\`${name}\``), `${name} is not named under Dependencies`);
  });

  it("stays a first hour's reading: the reference lives in docs/", async () => {
    const lines = (await readReadme()).split('\n').length;
    assert.ok(lines <= 220, `the README has ${lines} lines; move reference material to docs/`);
  });
});

describe('links in README.md and docs/', () => {
  it('every relative link reaches a file, and every #anchor a heading there', async () => {
    const docs = (await readdir(join(ROOT, 'docs'))).filter((name) => name.endsWith('.md'));
    const files = ['README.md', ...docs.map((name) => join('docs', name))];
    assert.ok(files.length >= 4, 'docs/ holds the reference, testing and benchmark pages');
    const broken: string[] = [];
    for (const file of files) {
      const text = withoutCode(await readFile(join(ROOT, file), 'utf8'));
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto: – not ours to check offline
        const [path = '', anchor] = target.split('#');
        const linked = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), path);
        if (!existsSync(linked)) broken.push(`${file}: ${target} (no ${relative(ROOT, linked)})`);
        else if (anchor !== undefined && linked.endsWith('.md')) {
          if (!headingAnchors(await readFile(linked, 'utf8')).has(anchor))
            broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('headingAnchors spells anchors as GitHub does', () => {
    const anchors = headingAnchors(
      '# A\n## Suppressions (`--ignore FILE`)\n```yaml\n# not.a.heading\n```\n## Fixing: `plan` and `fix`\n## A\n',
    );
    assert.deepEqual([...anchors], ['a', 'suppressions---ignore-file', 'fixing-plan-and-fix', 'a-1']);
  });
});
