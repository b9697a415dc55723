/**
 * The dashboard of `trailcheck serve` in headless Chromium, on a real service over moto: a baseline scan,
 * the multi-Region trail stopped, a second scan. A person signs in, sees the regression in "changes",
 * follows it to the failing finding (its evidence and its fix name the real trail) and on to the
 * control's history (PASS, then FAIL); no page asks anything of another origin or breaks its CSP. A
 * read-only token sees no admin button and is refused if it tries; a hostile reason stays text; a scan
 * started from the dashboard appears and finishes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, browserSkipReason, haveChromium } from '../support/chromium.js';
import { MotoServer } from '../support/moto.js';
import {
  STORY_ACCOUNT,
  STORY_ADMIN_TOKEN,
  STORY_TRAIL,
  regressionStory,
} from '../support/dashboard-story.js';
import { api as callApi } from '../support/service.js';
import type { RegressionStory } from '../support/dashboard-story.js';

const chromiumThere = haveChromium();
const skip = browserSkipReason(chromiumThere, process.env);
const HOSTILE_REASON = '<img src=x onerror="window.__pwned=1">accepted by <b>ops</b>';

interface Session {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors (a CSP violation is one) and uncaught exceptions. */
  problems: string[];
}

describe('the dashboard in headless Chromium', { skip, timeout: 300_000 }, () => {
  let moto: MotoServer | undefined;
  let browser: Browser | undefined;
  let story: RegressionStory | undefined;
  let dataDir = '';
  let readToken = '';
  const sessions: Session[] = [];

  const base = () => {
    if (!story) throw new Error('the service is not running');
    return story.serve.url;
  };

  before(async () => {
    assert.ok(chromiumThere, `${CHROMIUM} is missing; CI must install Debian's chromium (see .ci/run)`);
    dataDir = await mkdtemp(join(tmpdir(), 'trailcheck-dashboard-'));
    moto = await MotoServer.start();
    story = await regressionStory(moto, dataDir);
    const made = await callApi<{ token: string }>(base(), STORY_ADMIN_TOKEN, 'POST', '/api/tokens', {
      name: 'auditor <script>',
      role: 'read',
    });
    assert.equal(made.status, 201);
    readToken = made.body.token;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await story?.serve.stop();
    await moto?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(token: string): Promise<Session> {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const session: Session = { context, page, requests: [], problems: [] };
    sessions.push(session);
    page.on('request', (request) => session.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') session.problems.push(message.text());
    });
    page.on('pageerror', (error) => session.problems.push(error.message));
    await page.goto(`${base()}/`);
    assert.equal(new URL(page.url()).pathname, '/login', 'a visitor with no session is sent to sign in');
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base()}/`);
    return session;
  }

  /** `expected`: errors the test provoked on purpose (the browser logs a refused request). */
  function assertStayedHome(session: Session, expected?: RegExp): void {
    const foreign = session.requests.filter((url) => !url.startsWith(`${base()}/`));
    assert.deepEqual(foreign, [], 'the dashboard asked another origin for something');
    const problems = session.problems.filter((p) => !expected?.test(p));
    assert.deepEqual(problems, [], 'the page logged errors (a CSP violation is one)');
  }

  it('sends a visitor without a session to sign in, and every page carries a self-only CSP', async () => {
    for (const path of [
      '/',
      '/scans',
      `/scans/${story?.brokenScan ?? ''}`,
      '/controls/CloudTrail.1',
      '/suppressions',
    ]) {
      const response = await fetch(`${base()}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 303, path);
      assert.equal(response.headers.get('location'), '/login', path);
    }
    const login = await fetch(`${base()}/login`);
    assert.match(login.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    const bad = await fetch(`${base()}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=tc_wrong',
    });
    assert.equal(bad.status, 401);
    assert.match(await bad.text(), /That token is not valid/);
  });

  it('leads from the regression on the overview to the failing trail, its evidence and fix, and its history', async () => {
    const session = await signIn(STORY_ADMIN_TOKEN);
    const { page } = session;
    const changes = page.locator('section.changes').first();
    await assert.doesNotReject(changes.getByRole('heading', { name: /Newly failing/ }).waitFor());
    assert.equal(
      await page.locator('canvas[data-chart]').count(),
      1,
      'the overview draws its chart over time',
    );
    await page.waitForFunction(() => {
      const canvas = document.querySelector('canvas[data-chart]');
      const chart = (window as unknown as { Chart?: { getChart: (c: Element) => unknown } }).Chart;
      return canvas !== null && chart?.getChart(canvas) !== undefined;
    });
    const controls = await page.locator('table').first().innerText();
    assert.match(
      controls,
      /CloudTrail\.1[^\n]*\n?[^\n]*FAIL/,
      'the per-control table shows CloudTrail.1 failing now',
    );

    await changes.getByRole('link', { name: /^CloudTrail\.1 on / }).click();
    await page.waitForURL(new RegExp(`/scans/${story?.brokenScan ?? ''}#f-`));
    const finding = page.locator('article.finding:target');
    assert.equal(await finding.count(), 1, 'the link lands on the finding itself');
    const text = await finding.innerText();
    assert.match(text, /FAIL/);
    assert.match(text, new RegExp(`${STORY_TRAIL} is not logging`), 'the message names the real trail');
    assert.match(text, /IsLogging\s+false/, 'the evidence shows what AWS answered');
    assert.match(text, new RegExp(`arn:aws:cloudtrail:us-east-1:${STORY_ACCOUNT}:trail/${STORY_TRAIL}`));
    assert.ok(
      text.includes(`aws cloudtrail start-logging --region us-east-1 --name ${STORY_TRAIL}`),
      'the fix gives the command for the real trail',
    );
    assert.match(text, /Start logging/, 'and the console steps');

    const downloads = page.locator('.downloads a');
    assert.ok((await downloads.count()) >= 4, 'a download link for every report format');
    const htmlLink = await page.locator('.downloads a', { hasText: /^html$/ }).getAttribute('href');
    assert.ok(htmlLink);
    const download = await page.request.get(`${base()}${htmlLink}`);
    assert.equal(download.status(), 200, 'the session cookie fetches a report');
    assert.match(download.headers()['content-disposition'] ?? '', /^attachment; filename=/);

    await finding.getByRole('link', { name: /^History of CloudTrail\.1/ }).click();
    await page.waitForURL(/\/controls\/CloudTrail\.1\?account=/);
    const rows = await page.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, 'one row a scan');
    assert.match(rows[0] ?? '', /FAIL/, 'newest first: FAIL');
    assert.match(rows[1] ?? '', /PASS/, 'before it: PASS');
    await page.waitForFunction(() => {
      const canvas = document.querySelector('canvas[data-chart]');
      const chart = (window as unknown as { Chart?: { getChart: (c: Element) => unknown } }).Chart;
      return canvas !== null && chart?.getChart(canvas) !== undefined;
    });
    assertStayedHome(session);
  });

  it('shows a read-only token no admin button, and refuses its change with 403', async () => {
    const session = await signIn(readToken);
    const { page } = session;
    assert.match(
      await page.locator('.who').innerText(),
      /auditor <script> \(read only\)/,
      'the name stays text',
    );
    assert.equal(await page.getByRole('button', { name: /Scan now|Scan this again/ }).count(), 0);
    await page.goto(`${base()}/suppressions`);
    assert.equal(await page.getByRole('button', { name: 'Add suppression' }).count(), 0);
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/scans', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trailcheck': 'dashboard' },
        body: '{}',
      });
      return response.status;
    });
    assert.equal(status, 403);
    assertStayedHome(session, /status of 403 \(Forbidden\)/);
  });

  it('adds a suppression from the form with its reason kept as text, and expires it', async () => {
    const session = await signIn(STORY_ADMIN_TOKEN);
    const { page } = session;
    await page.goto(`${base()}/suppressions`);
    await page.getByLabel('Control').fill('CloudTrail.3');
    await page.getByLabel('Resource (ARN, name or *)').fill('*');
    await page.getByLabel('Reason').fill(HOSTILE_REASON);
    await page.getByLabel('Last day').fill('2099-12-31');
    await page.getByRole('button', { name: 'Add suppression' }).click();
    const row = page.locator('tbody tr', { hasText: 'CloudTrail.3' });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(HOSTILE_REASON), 'the reason is shown as written');
    assert.equal(await page.locator('tbody img, tbody b').count(), 0, 'and never becomes markup');
    assert.match(await row.innerText(), /in force/);
    await row.getByRole('button', { name: 'Expire now' }).click();
    await page.locator('tbody tr', { hasText: /ended/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assertStayedHome(session);
  });

  it('starts a scan from the dashboard, which appears and finishes', async () => {
    const session = await signIn(STORY_ADMIN_TOKEN);
    const { page } = session;
    await page.locator('header').getByRole('button', { name: 'Scan now' }).click();
    await page.waitForURL(/\/scans\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    // The page reloads itself until the scan is finished.
    await page.locator('section.card dl.facts .pill', { hasText: 'done' }).waitFor({ timeout: 90_000 });
    await page.goto(`${base()}/scans`);
    const row = page.locator(`tbody tr:has(a[href="/scans/${id}"])`);
    assert.match(await row.innerText(), /done[\s\S]*dashboard:TRAILCHECK_API_TOKEN/);
    assert.equal(await page.locator('tbody tr').count(), 3, 'the two scans before it, and this one');
    assertStayedHome(session);
  });
});
