/**
 * The shape of the code: three passes over data (collect, judge, plan and report), each importing only
 * what sits below it, and no import cycle anywhere. A layer may import its own folder and any folder
 * below it; `import type` counts too, since a type that points upward is a dependency all the same.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../src/util/package-root.js';

/** Bottom to top. A folder of src/ (or a file directly in it) and its layer. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['util'],
  ['version.ts'],
  // AWS access: SDK clients, errors, the IAM actions of operations.
  ['aws', 'frameworks'],
  // Shared vocabulary: findings, rich text, API calls, ARNs, output escaping, finding identity.
  ['core'],
  // The evidence: the snapshot's schema, what evidence a control needs, reading and writing it.
  ['snapshot'],
  // Pass 1: collect.
  ['collect'],
  // Judging helpers every control shares (the snapshot view, policies, selectors, evidence).
  ['evaluate'],
  // Fix builders: the calls a control proposes for a failed finding.
  ['fixes'],
  // The controls, each a folder, and their registry.
  ['controls'],
  // Pass 2: judge (verdicts, then what the user accepted).
  ['judge'],
  // Pass 3: plan (simulate, order, undo), apply and roll back.
  ['remediate'],
  // Pass 3: report (pure renderers of findings and plan).
  ['report'],
  // The service (serve, worker): scans kept over time, its API and dashboard; the CLI supplies its engine.
  ['service'],
  ['cli'],
  ['index.ts'],
];

const layerOf = new Map<string, number>();
LAYERS.forEach((names, layer) => {
  for (const name of names) layerOf.set(name, layer);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) =>
    normalize(join(dirname(file), m[1] as string)).replace(/\.js$/, '.ts'),
  );
}

const root = join(packageRoot(), 'src');
const graph = new Map<string, string[]>();
for (const file of sources(root))
  graph.set(
    relative(root, file),
    importsOf(file).map((f) => relative(root, f)),
  );

/** The benchmark and the scripts too, for cycles (they sit above everything in src/). */
const project = packageRoot();
const everything = new Map<string, string[]>();
for (const dir of ['src', 'bench', 'scripts'])
  for (const file of sources(join(project, dir)))
    everything.set(
      relative(project, file),
      importsOf(file).map((f) => relative(project, f)),
    );

function top(file: string): string {
  return file.split('/')[0] as string;
}

describe('architecture', () => {
  it('puts every folder of src/ in a layer', () => {
    const unplaced = [...new Set([...graph.keys()].map(top))].filter((t) => !layerOf.has(t));
    assert.deepEqual(unplaced, [], 'add the folder to LAYERS in test/architecture.test.ts');
  });

  it('imports only the own layer or lower ones', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const from = layerOf.get(top(file)) ?? -1;
        const to = layerOf.get(top(target)) ?? -1;
        if (to > from || (to === from && top(file) !== top(target))) upward.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('has no import cycle, in src/, bench/ or scripts/', () => {
    const graph = everything;
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    assert.deepEqual(cycles, []);
  });
});
