import type { Assessment } from '../evaluate/assess.js';
import { UsageError } from '../util/errors.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export const FORMATS = ['text', 'markdown', 'json'] as const;
export type Format = (typeof FORMATS)[number];

const RENDERERS: Record<Format, (assessment: Assessment) => string> = {
  text: renderText,
  markdown: renderMarkdown,
  json: renderJson,
};

export function parseFormat(value: string): Format {
  const format = value.trim().toLowerCase();
  const alias = format === 'md' ? 'markdown' : format;
  if (!(FORMATS as readonly string[]).includes(alias)) {
    throw new UsageError(`unknown format '${value}'; choose one of: ${FORMATS.join(', ')}.`);
  }
  return alias as Format;
}

export function render(assessment: Assessment, format: Format): string {
  return RENDERERS[format](assessment);
}
