/**
 * The dashboard: server-rendered pages (dashboard-pages.ts) over the same store as the API, its sign-in
 * and its assets. A page needs a session (else /login); what a page changes goes through the JSON API,
 * which checks the role, so a read-only session sees no admin button and gets 403 if it tries anyway.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findControl } from '../../controls/index.js';
import { diffReports } from '../../report/diff.js';
import type { DiffReport } from '../../report/diff.js';
import { canonicalRequest } from '../request.js';
import type { Scan, Token } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { SESSION_COOKIE } from './auth.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE, chartJs } from './dashboard-assets.js';
import type { PageFrame, Section, TargetView } from './dashboard-pages.js';
import {
  controlPage,
  loginPage,
  messagePage,
  overviewPage,
  scanPage,
  scansPage,
  suppressionsPage,
} from './dashboard-pages.js';

export interface DashboardHooks {
  identify: (request: FastifyRequest) => Promise<Token | undefined>;
}

/** Pages load only what the service serves: no inline script or style, no other origin, no framing. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** How many targets (account or organization, and what was asked) the overview shows, newest first. */
const OVERVIEW_TARGETS = 10;
/** How many finished scans of a target its chart draws. */
const TREND_SCANS = 60;

function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-store')
    .send(body);
}

/** ?account=ID: one account's part of a page; empty or absent means every account. */
function accountParam(request: FastifyRequest): string | undefined {
  const raw = (request.query as { account?: unknown }).account;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

const targetKey = (scan: Scan) =>
  `${scan.subject ?? ''}\u0000${JSON.stringify(canonicalRequest(scan.request))}`;

export function registerDashboard(app: FastifyInstance, ctx: ServiceContext, hooks: DashboardHooks): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  const asset = (path: string, type: string, body: () => string) =>
    app.get(path, async (_request, reply) =>
      reply
        .type(type)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=3600')
        .send(body()),
    );
  asset('/assets/dashboard.css', 'text/css; charset=utf-8', () => DASHBOARD_STYLE);
  asset('/assets/dashboard.js', 'text/javascript; charset=utf-8', () => DASHBOARD_SCRIPT);
  asset('/assets/chart.js', 'text/javascript; charset=utf-8', chartJs);
  // Browsers ask for it on their own; an empty answer keeps their console (and the tests) free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  app.get('/login', async (_request, reply) => sendPage(reply, loginPage()));

  app.post('/login', async (request, reply) => {
    const given = (request.body as { token?: unknown } | undefined)?.token;
    const secret = typeof given === 'string' ? given.trim() : '';
    const token = await ctx.auth.byToken(secret);
    if (!token) return sendPage(reply, loginPage('That token is not valid.'), 401);
    const session = await ctx.auth.openSession(token);
    return reply
      .setCookie(SESSION_COOKIE, session.secret, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        expires: session.expires,
        secure: request.protocol === 'https',
      })
      .redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie !== undefined) await ctx.store.deleteSession(cookie);
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });

  /** The frame of a page for whoever is signed in; undefined (after redirecting to /login) for nobody. */
  const frameFor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    section: Section,
  ): Promise<PageFrame | undefined> => {
    const token = await hooks.identify(request);
    if (!token) {
      await reply.redirect('/login', 303);
      return undefined;
    }
    const [latest] = await ctx.store.listScans({ limit: 1 });
    return { title, section, token, scanRequest: latest?.request ?? {} };
  };

  /** The previous finished scan of the same target and what changed since it. */
  const changesOf = async (scan: Scan): Promise<{ previous: Scan | undefined; diff: DiffReport | null }> => {
    const previous = await ctx.store.previousDone(scan);
    if (!previous) return { previous: undefined, diff: null };
    const [older, newer] = await Promise.all([
      ctx.store.getReport(previous.id),
      ctx.store.getReport(scan.id),
    ]);
    return { previous, diff: older && newer ? diffReports(older, newer) : null };
  };

  app.get('/', async (request, reply) => {
    const frame = await frameFor(request, reply, 'Overview', 'overview');
    if (!frame) return reply;
    const scans = await ctx.store.listScans({ limit: 1000 });
    const byTarget = new Map<string, Scan[]>();
    for (const scan of scans.filter((s) => s.status === 'done' && s.finishedAt !== null)) {
      const key = targetKey(scan);
      byTarget.set(key, [...(byTarget.get(key) ?? []), scan]);
    }
    const groups = [...byTarget.values()]
      .map((group) => group.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '')))
      .sort((a, b) => (b.at(-1)?.finishedAt ?? '').localeCompare(a.at(-1)?.finishedAt ?? ''))
      .slice(0, OVERVIEW_TARGETS);
    const targets: TargetView[] = [];
    for (const group of groups) {
      const latest = group.at(-1);
      if (!latest) continue;
      const report = await ctx.store.getReport(latest.id);
      if (!report) continue;
      targets.push({ latest, report, ...(await changesOf(latest)), trend: group.slice(-TREND_SCANS) });
    }
    const active = scans.filter((s) => s.status === 'queued' || s.status === 'running');
    return sendPage(reply, overviewPage(frame, targets, active));
  });

  app.get('/scans', async (request, reply) => {
    const frame = await frameFor(request, reply, 'Scans', 'scans');
    if (!frame) return reply;
    return sendPage(reply, scansPage(frame, await ctx.store.listScans({ limit: 200 })));
  });

  app.get('/scans/:id', async (request, reply) => {
    const frame = await frameFor(request, reply, 'Scan', 'scans');
    if (!frame) return reply;
    const scan = await ctx.store.getScan((request.params as { id: string }).id);
    if (!scan)
      return sendPage(
        reply,
        messagePage(frame, 'No such scan', 'The service has no scan with that id.'),
        404,
      );
    const finished = scan.status === 'done' || scan.status === 'failed';
    const report = scan.status === 'done' ? await ctx.store.getReport(scan.id) : undefined;
    const changes = scan.status === 'done' ? await changesOf(scan) : { previous: undefined, diff: null };
    return sendPage(
      reply,
      scanPage(
        { ...frame, title: `Scan ${scan.id}`, ...(finished ? {} : { refreshSeconds: 3 }) },
        { scan, report, ...changes, formats: ctx.engine.formats, account: accountParam(request) },
      ),
    );
  });

  app.get('/controls/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const frame = await frameFor(request, reply, `History of ${id}`, 'controls');
    if (!frame) return reply;
    const account = accountParam(request);
    const control = findControl(id)?.id ?? id;
    const all = await ctx.store.history({ control, limit: 5000 });
    const points = account === undefined ? all : all.filter((p) => p.account === account);
    return sendPage(
      reply,
      controlPage(frame, {
        control,
        title: findControl(id)?.title,
        account,
        points: points.slice(0, 1000),
        accounts: [...new Set(all.map((p) => p.account))].sort(),
      }),
    );
  });

  app.get('/suppressions', async (request, reply) => {
    const frame = await frameFor(request, reply, 'Suppressions', 'suppressions');
    if (!frame) return reply;
    const today = new Date().toISOString().slice(0, 10);
    return sendPage(reply, suppressionsPage(frame, await ctx.store.listSuppressions(), today));
  });
}
