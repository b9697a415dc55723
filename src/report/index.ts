/**
 * The report formats. Every format is registered here, with what the CLI needs to know about it, so the
 * CLI, the help text and the generic tests (every format renders every assessment) pick up a new one.
 */
import type { Report } from './model.js';
import { UsageError } from '../util/errors.js';
import { renderAsff } from './asff.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderOcsf } from './ocsf.js';
import type { RenderOptions } from './options.js';
import { DEFAULT_RENDER_OPTIONS } from './options.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface FormatSpec {
  /** Pure: the same assessment and options always give the same text. */
  render: (report: Report, options: RenderOptions) => string;
  /** File name ending used with --output-dir, and recognised with --output. */
  extension: string;
  /** For people (audience applies) or for machines. */
  kind: 'human' | 'machine';
  description: string;
}

export const FORMAT_SPECS = {
  text: { render: renderText, extension: '.txt', kind: 'human', description: 'terminal summary' },
  markdown: {
    render: renderMarkdown,
    extension: '.md',
    kind: 'human',
    description: 'the full report as Markdown',
  },
  html: {
    render: renderHtml,
    extension: '.html',
    kind: 'human',
    description: 'one self-contained page with a score, charts and filters',
  },
  json: {
    render: renderJson,
    extension: '.json',
    kind: 'machine',
    description: "trailcheck's JSON contract",
  },
  sarif: {
    render: renderSarif,
    extension: '.sarif',
    kind: 'machine',
    description: 'SARIF 2.1.0 (code scanning)',
  },
  asff: {
    render: renderAsff,
    extension: '.asff.json',
    kind: 'machine',
    description: 'AWS Security Finding Format, for Security Hub BatchImportFindings',
  },
  ocsf: {
    render: renderOcsf,
    extension: '.ocsf.json',
    kind: 'machine',
    description: 'OCSF 1.5.0 Compliance Findings',
  },
  csv: { render: renderCsv, extension: '.csv', kind: 'machine', description: 'one row per finding' },
  junit: {
    render: renderJunit,
    extension: '.junit.xml',
    kind: 'machine',
    description: 'JUnit XML, one test case per finding',
  },
} as const satisfies Record<string, FormatSpec>;

export type Format = keyof typeof FORMAT_SPECS;
export const FORMATS = Object.keys(FORMAT_SPECS) as Format[];

const ALIASES: Record<string, Format> = { md: 'markdown', txt: 'text', htm: 'html', xml: 'junit' };

export function parseFormat(value: string): Format {
  const format = value.trim().toLowerCase();
  const resolved = ALIASES[format] ?? format;
  if (!(FORMATS as readonly string[]).includes(resolved)) {
    throw new UsageError(`unknown format '${value}'; choose one of: ${FORMATS.join(', ')}.`);
  }
  return resolved as Format;
}

/** `html,json` → ['html', 'json'], in the order given, without repeats. */
export function parseFormatList(value: string): Format[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0)
    throw new UsageError(`--format needs at least one format; choose from: ${FORMATS.join(', ')}.`);
  return [...new Set(names.map(parseFormat))];
}

/**
 * Endings recognised with --output besides each format's own `extension`: the compound `.sarif.json` that
 * code-scanning uploads use, and the short forms people type.
 */
const OTHER_ENDINGS: Partial<Record<Format, readonly string[]>> = {
  sarif: ['.sarif.json'],
  html: ['.htm'],
  junit: ['.xml'],
  markdown: ['.markdown'],
};

/** Every ending with its format, the longest first, so `.sarif.json` and `.asff.json` win over `.json`. */
const ENDINGS: ReadonlyArray<[string, Format]> = FORMATS.flatMap((format) =>
  [FORMAT_SPECS[format].extension, ...(OTHER_ENDINGS[format] ?? [])].map((ending): [string, Format] => [
    ending,
    format,
  ]),
).sort((a, b) => b[0].length - a[0].length);

/** The format a file name asks for, by its ending (longest ending first: .sarif.json before .json). */
export function formatForFile(path: string): Format | undefined {
  const name = path.toLowerCase();
  return ENDINGS.find(([ending]) => name.endsWith(ending))?.[1];
}

export function render(
  report: Report,
  format: Format,
  options: RenderOptions = DEFAULT_RENDER_OPTIONS,
): string {
  return FORMAT_SPECS[format].render(report, options);
}

export type { RenderOptions, Audience } from './options.js';
export { AUDIENCES, DEFAULT_RENDER_OPTIONS, parseAudience } from './options.js';
