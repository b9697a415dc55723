/**
 * The HTML report in a real headless Chromium (Debian's chromium, driven by playwright-core): it renders
 * with no console errors and no network request, the filters work by click, evidence is folded away,
 * the print styles hide the controls, and a resource named `<img src=x onerror=alert(1)>` stays text.
 * Screenshots are saved under test-artifacts/ for a person to look at.
 *
 * Without /usr/bin/chromium the test is skipped with a message on a developer's machine, and fails
 * under CI=true (.ci/run installs chromium).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { render } from '../../src/report/index.js';
import { packageRoot } from '../../src/util/package-root.js';
import {
  HOSTILE_NAME,
  mixedAssessment,
  organizationAssessment,
  singleRegionTrailAssessment,
  UNREADABLE_MEMBER,
  suppressedSeedAssessment,
} from '../support/assessments.js';
import { CHROMIUM, CHROMIUM_ARGS, browserSkipReason, haveChromium } from '../support/chromium.js';
import { runTrailcheck } from '../support/cli.js';

const ARTIFACTS = join(packageRoot(), 'test-artifacts');
const chromiumThere = haveChromium();
const skip = browserSkipReason(chromiumThere, process.env);

describe('when the browser test may skip', () => {
  it('only without chromium and outside CI', () => {
    assert.equal(browserSkipReason(true, {}), false);
    assert.equal(browserSkipReason(false, { CI: 'true' }), false, 'CI must fail, not skip');
    assert.equal(browserSkipReason(false, { CI: '1' }), false);
    assert.match(
      String(browserSkipReason(false, {})),
      /\/usr\/bin\/chromium is missing: install Debian's chromium/,
    );
    assert.match(String(browserSkipReason(false, { CI: 'false' })), /is missing/);
  });
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

describe('the HTML report in headless Chromium', { skip }, () => {
  let browser: Browser | undefined;
  let dir = '';

  before(async () => {
    assert.ok(chromiumThere, `${CHROMIUM} is missing; CI must install Debian's chromium (see .ci/run)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    dir = await mkdtemp(join(tmpdir(), 'trailcheck-html-'));
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  /** Opens a report file, recording console errors, page errors, dialogs and every request. */
  async function open(path: string): Promise<Opened> {
    assert.ok(browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  const shown = (page: Page) => page.locator('#shown').textContent();
  /** An attribute of every finding card the filters leave visible. */
  const visible = async (page: Page, attribute: string) =>
    Promise.all(
      (await page.locator('#finding-list .finding:visible').all()).map((card) =>
        card.getAttribute(attribute),
      ),
    );
  const visibleStatuses = (page: Page) => visible(page, 'data-status');
  const chip = (page: Page, group: string, name: string) =>
    page.locator(`.filter-group[data-filter="${group}"] .chip`, { hasText: new RegExp(`^${name}`) });

  it('renders the seed report offline, with no console error, and the filters work by click', async () => {
    const path = join(dir, 'seed.html');
    const result = await runTrailcheck(['demo', '--format', 'html', '-o', path], {});
    assert.equal(result.code, 0, result.stderr);
    const { page, problems, requests } = await open(path);
    try {
      assert.equal(await page.title(), 'CloudTrail assessment – account 123456789012');
      assert.equal(await page.locator('h1').textContent(), 'Security Assessment Summary – CloudTrail');
      for (const heading of [
        'Summary',
        'Why does this matter?',
        'Quick action plan',
        'Bottom line',
        'All findings',
      ]) {
        assert.equal(await page.locator('h2', { hasText: heading }).count(), 1, heading);
      }
      assert.equal(await page.locator('.score svg text').first().textContent(), '71');
      assert.equal(await page.locator('.chart svg').count(), 1, 'one chart, counting checks');
      assert.match(
        (await page.locator('#summary').textContent()) ?? '',
        /CloudTrail\.4 – Log file validation/,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'html-report-seed.png'), fullPage: true });

      // Filters: status, then severity on top, then back to all.
      assert.equal(await shown(page), 'Showing 4 of 4 findings');
      await chip(page, 'status', 'Failed').click();
      assert.equal(await shown(page), 'Showing 2 of 4 findings');
      assert.deepEqual(await visibleStatuses(page), ['fail', 'fail']);
      assert.equal(await chip(page, 'status', 'Failed').getAttribute('aria-pressed'), 'true');
      assert.equal(await chip(page, 'status', 'All').getAttribute('aria-pressed'), 'false');
      await chip(page, 'severity', 'High').click();
      assert.equal(await shown(page), 'Showing 0 of 4 findings', 'failed and high: none');
      await chip(page, 'status', 'All').click();
      assert.equal(await shown(page), 'Showing 1 of 4 findings', 'high only');
      assert.deepEqual(await visibleStatuses(page), ['pass']);
      await chip(page, 'severity', 'High').click();
      assert.equal(await shown(page), 'Showing 4 of 4 findings');

      // Evidence is folded away until asked for.
      const details = page.locator('#finding-list details').first();
      assert.equal(await details.getAttribute('open'), null);
      assert.equal(await details.locator('.evidence').isVisible(), false);
      await details.locator('summary').click();
      assert.equal(await details.locator('.evidence').isVisible(), true);
      assert.match((await details.locator('.evidence').textContent()) ?? '', /LogFileValidationEnabled/);

      // A copy button answers (the clipboard may be refused in a headless file:// page; that is no error).
      const copy = page.locator('#actions button.copy').first();
      await copy.click();
      // The answer comes when the clipboard promise settles; a selector wait needs no eval (the CSP forbids it).
      await page
        .locator('#actions button.copy', { hasText: /^(Copied|Select and copy)$/ })
        .first()
        .waitFor({ timeout: 5_000 });

      // Printing hides the controls and shows every finding.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.filters').isVisible(), false);
      assert.equal(await page.locator('button.copy').first().isVisible(), false);
      await page.emulateMedia({ media: 'screen' });

      assert.deepEqual(problems, []);
      assert.deepEqual(
        requests.filter((url) => !url.startsWith('file:')),
        [],
        'the page fetches nothing',
      );
    } finally {
      await page.context().close();
    }
  });

  it('keeps a hostile resource name and error message as text, and filters by Region', async () => {
    const path = join(dir, 'hostile.html');
    await writeFile(path, render(mixedAssessment(), 'html'));
    const { page, problems, requests } = await open(path);
    try {
      assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
      assert.equal(await page.locator('script').count(), 1, 'only the report’s own script');
      const resource = page.locator('.finding .resource', { hasText: HOSTILE_NAME });
      assert.ok((await resource.count()) > 0, 'the name is shown as text');
      assert.equal(await resource.first().textContent(), HOSTILE_NAME);
      const evidence = await page.locator('.evidence').allTextContents();
      assert.ok(
        evidence.some((t) => t.includes('<script>alert(2)</script>')),
        'the error message is shown as text',
      );

      await page.screenshot({ path: join(ARTIFACTS, 'html-report-hostile.png'), fullPage: true });

      const total = await page.locator('#finding-list .finding').count();
      await chip(page, 'region', 'eu-west-1').click();
      const regions = await visible(page, 'data-region');
      assert.ok(regions.length > 0 && regions.length < total);
      assert.ok(regions.every((r) => r === 'eu-west-1'));
      await chip(page, 'status', 'Could not assess').click();
      assert.deepEqual(await visibleStatuses(page), ['unknown']);

      assert.deepEqual(problems, [], 'no dialog, no error');
      assert.deepEqual(
        requests.filter((url) => !url.startsWith('file:')),
        [],
        'the onerror never fired a fetch',
      );
    } finally {
      await page.context().close();
    }
  });

  it('shows accepted risks, and the suppressed filter finds them', async () => {
    const path = join(dir, 'suppressed.html');
    await writeFile(path, render(suppressedSeedAssessment(), 'html'));
    const { page, problems } = await open(path);
    try {
      assert.equal(await page.locator('h2', { hasText: 'Accepted risks (suppressed)' }).count(), 1);
      await chip(page, 'status', 'Suppressed').click();
      assert.deepEqual(await visibleStatuses(page), ['suppressed']);
      await page.screenshot({ path: join(ARTIFACTS, 'html-report-suppressed.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
    }
  });

  /** The page's width beyond the viewport, in CSS pixels (0: no horizontal scroll). */
  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const width of [420, 1400]) {
    it(`fits ${width} px without horizontal scroll, links to the findings and keeps control ids whole`, async () => {
      const reports: Array<[string, string]> = [];
      const demo = join(dir, `demo-all-${width}.html`);
      const result = await runTrailcheck(['demo', '--controls', 'all', '--format', 'html', '-o', demo], {});
      assert.equal(result.code, 0, result.stderr);
      reports.push(['demo-all', demo]);
      const many = join(dir, `many-regions-${width}.html`);
      await writeFile(many, render(singleRegionTrailAssessment(), 'html'));
      reports.push(['many-regions', many]);
      for (const [name, path] of reports) {
        assert.ok(browser);
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        try {
          await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
          await page.screenshot({ path: join(ARTIFACTS, `html-${name}-${width}.png`), fullPage: true });
          assert.equal(await overflow(page), 0, `${name} at ${width} px scrolls sideways`);
          // Every control id sits on one line: its box is one line high.
          const ids = await page.locator('.id').evaluateAll((nodes) =>
            nodes.map((n) => ({
              text: n.textContent ?? '',
              lines: n.getClientRects().length,
            })),
          );
          assert.ok(
            ids.some((i) => i.text === 'TC.BucketPolicyScoped'),
            `${name}: control ids are marked`,
          );
          for (const id of ids) assert.equal(id.lines, 1, `${name}: ${id.text} is broken across lines`);
          // The navigation's link takes the reader to the findings.
          await page.locator('nav.toc a', { hasText: 'Findings' }).click();
          assert.equal(new URL(page.url()).hash, '#findings');
          const top = await page.locator('#findings').evaluate((n) => n.getBoundingClientRect().top);
          assert.ok(Math.abs(top) < 5, `${name}: the findings are at the top after the click (${top})`);
        } finally {
          await context.close();
        }
      }
    });
  }

  it('shows one gap in 19 Regions as one finding, which the Region filter still finds', async () => {
    const path = join(dir, 'many.html');
    await writeFile(path, render(singleRegionTrailAssessment(), 'html'));
    const { page, problems } = await open(path);
    try {
      const coverage = page.locator('#finding-list .finding', { hasText: 'CloudTrail.3' });
      assert.equal(await coverage.filter({ hasText: 'In 19 Regions' }).count(), 1);
      await chip(page, 'region', 'eu-west-3').click();
      assert.equal(await coverage.filter({ hasText: 'In 19 Regions' }).isVisible(), true);
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
    }
  });

  it("follows an organization's matrix row to that account, and filters the findings by account", async () => {
    const path = join(dir, 'organization.html');
    await writeFile(path, render(organizationAssessment(), 'html'));
    const { page, problems, requests } = await open(path);
    try {
      const rows = page.locator('#accounts table.matrix tbody tr');
      assert.equal(await rows.count(), 3, 'one row per account');
      // A row leads to the account's own section, which leads back to the matrix.
      await rows.locator(`a[href="#account-${UNREADABLE_MEMBER}"]`).click();
      const section = page.locator(`#account-${UNREADABLE_MEMBER}`);
      assert.equal(await section.isVisible(), true);
      assert.match(page.url(), new RegExp(`#account-${UNREADABLE_MEMBER}$`));
      assert.match((await section.textContent()) ?? '', /could not be assessed/);
      // The account filter leaves that account's findings only.
      await chip(page, 'account', UNREADABLE_MEMBER).click();
      const accounts = await visible(page, 'data-account');
      assert.ok(accounts.length > 0, 'the unreadable account has findings (UNKNOWN)');
      assert.deepEqual([...new Set(accounts)], [UNREADABLE_MEMBER]);
      await chip(page, 'account', 'All').click();
      assert.ok(new Set(await visible(page, 'data-account')).size > 1);
      // The hostile account name stays text, and the page asks the network for nothing.
      assert.equal(await page.locator('img').count(), 0);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        requests.filter((url) => !url.startsWith('file:')),
        [],
      );
      await page.screenshot({ path: join(ARTIFACTS, 'html-report-organization.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('fits the executive summary of every control on one 1400×900 screen', async () => {
    const path = join(dir, 'executive.html');
    const result = await runTrailcheck(
      ['demo', '--controls', 'all', '--audience', 'executive', '--format', 'html', '-o', path],
      {},
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(browser);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      await page.screenshot({ path: join(ARTIFACTS, 'html-executive-1400.png'), fullPage: true });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 1000, `the executive page is ${height} px high`);
      assert.equal(await page.locator('table').count(), 0, 'no table of ids and severities');
      assert.equal((await page.locator('ol.steps li').count()) > 0, true);
    } finally {
      await context.close();
    }
  });
});
