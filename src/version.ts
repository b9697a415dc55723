import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './util/package-root.js';

export const TOOL_NAME = 'trailcheck';

/** Read from the installed package.json, so a release needs one version bump, not two. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
