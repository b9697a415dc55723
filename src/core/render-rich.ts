import { markdownCode, markdownText, terminalSafe } from './escape.js';
import { isCodeSpan } from './rich.js';
import type { RichText } from './rich.js';

export function richToMarkdown(text: RichText): string {
  return text.map((part) => (isCodeSpan(part) ? markdownCode(part.code) : markdownText(part))).join('');
}

export function richToTerminal(text: RichText): string {
  return terminalSafe(text.map((part) => (isCodeSpan(part) ? part.code : part)).join(''));
}
