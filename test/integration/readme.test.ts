/** The README's promises that code can check: every permission a full scan needs is listed there. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanActions } from '../../src/controls/scan-policy.js';
import { CONTROLS } from '../../src/controls/index.js';
import { packageRoot } from '../../src/util/package-root.js';

describe('README', () => {
  it('lists every IAM action a scan of every control needs', async () => {
    const readme = (await readFile(join(packageRoot(), 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    for (const action of scanActions(CONTROLS))
      assert.ok(readme.includes(`\`${action}\``), `${action} is missing from the README`);
  });

  it('lists every control', async () => {
    const readme = await readFile(join(packageRoot(), 'README.md'), 'utf8');
    for (const control of CONTROLS)
      assert.match(readme, new RegExp(`^\\| ${control.id.replace('.', '\\.')} +\\|`, 'm'));
  });
});
