/**
 * The HTTP API (Fastify): JSON in and out, described by /api/openapi.json. Every route but /healthz needs
 * a token (see auth.ts); changing routes need an admin one. Errors are one line: `{"error": "…"}`.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { diffReports } from '../../report/diff.js';
import { UserError } from '../../util/errors.js';
import { oneLine } from '../../util/text.js';
import { SuppressionFileSchema } from '../../judge/suppressions.js';
import { ScanRequestSchema } from '../request.js';
import { checkCron, checkInterval, nextRun } from '../scheduler.js';
import type { Scan, Token, TokenRole } from '../store/store.js';
import { SESSION_COOKIE } from './auth.js';
import { HISTORY_MAX_POINTS, openApiDocument } from './openapi.js';
import { registerDashboard } from './dashboard.js';
import type { ServiceContext } from './context.js';

export type { ServiceContext };

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Token;
  }
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpError(404, `no ${what}`);

function zodLine(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the request body is not valid';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new HttpError(400, zodLine(parsed.error));
  return parsed.data;
}

const ScheduleBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    cron: z.string().trim().min(1).max(200).optional(),
    intervalSeconds: z.number().int().optional(),
    request: ScanRequestSchema.optional(),
  })
  .refine((b) => (b.cron === undefined) !== (b.intervalSeconds === undefined), {
    message: 'give either cron (e.g. "0 6 * * *") or intervalSeconds, not both',
  });

const SuppressionBodySchema = SuppressionFileSchema.shape.suppressions.element;

const TokenBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'read']),
});

/** The public form of a scan: what GET /api/scans/{id} answers. */
export function scanView(scan: Scan) {
  return {
    id: scan.id,
    status: scan.status,
    trigger: scan.trigger,
    scheduleId: scan.scheduleId,
    request: scan.request,
    createdAt: scan.createdAt,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    durationMs: scan.durationMs,
    integer_result: scan.integer_result,
    pretty_result: scan.pretty_result,
    summary: scan.summary,
    error: scan.error,
    subject: scan.subject,
    attempts: scan.attempts,
  };
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/** Answers about finished scans never change: the last ones asked for are kept, up to this many bytes. */
const ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export async function buildApp(ctx: ServiceContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // A finished scan's report, and the difference between two finished scans, are immutable: a dashboard
  // with many viewers asks for the same few again and again.
  // Kept as encoded bytes: a megabyte answer is then written as it is, not encoded again per request.
  const answers = new LRUCache<string, Buffer>({
    maxSize: ANSWER_CACHE_BYTES,
    sizeCalculation: (value) => Math.max(1, value.length),
  });
  const cached = async (key: string, make: () => Promise<string>): Promise<Buffer> => {
    const hit = answers.get(key);
    if (hit !== undefined) return hit;
    const made = Buffer.from(await make(), 'utf8');
    if (made.length <= ANSWER_CACHE_BYTES / 4) answers.set(key, made);
    return made;
  };
  await app.register(fastifyCookie);

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ error: error.message });
    if (error instanceof UserError) return reply.code(400).send({ error: oneLine(error.message, 2000) });
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return reply
        .code(status)
        .send({ error: oneLine(error instanceof Error ? error.message : String(error)) });
    return reply.code(500).send({
      error: `internal error: ${oneLine(error instanceof Error ? error.message : String(error))}; this is a bug in trailcheck.`,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` }),
  );

  /** Who is asking: a bearer token, else the dashboard's session cookie. */
  const identify = async (request: FastifyRequest): Promise<Token | undefined> => {
    const secret = bearer(request);
    if (secret !== undefined) return ctx.auth.byToken(secret);
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined) return undefined;
    const token = await ctx.auth.bySession(cookie);
    // A cookie is sent by the browser on its own: a change it asks for must come from this site's pages.
    if (token && request.method !== 'GET' && request.headers['x-trailcheck'] !== 'dashboard')
      return undefined;
    return token;
  };

  const requireRole = (role: TokenRole) => async (request: FastifyRequest, reply: FastifyReply) => {
    const token = await identify(request);
    if (!token)
      return reply.code(401).header('www-authenticate', 'Bearer').send({
        error:
          'give a token: Authorization: Bearer <token> (see the log of the first start, or TRAILCHECK_API_TOKEN)',
      });
    if (role === 'admin' && token.role !== 'admin')
      return reply
        .code(403)
        .send({ error: `the token '${token.name}' may only read; this needs an admin token` });
    request.caller = token;
    return undefined;
  };
  const read = { preHandler: requireRole('read') };
  const admin = { preHandler: requireRole('admin') };
  const who = (request: FastifyRequest) => request.caller?.name ?? 'unknown';

  app.get('/healthz', () => ({ ok: true, store: ctx.store.kind, runningScans: ctx.activeScans() }));

  app.get('/api/openapi.json', read, () => openApiDocument());

  const loadScan = async (id: string): Promise<Scan> => {
    const scan = await ctx.store.getScan(id);
    if (!scan) throw notFound(`scan ${id}`);
    return scan;
  };

  app.post('/api/scans', admin, async (request, reply) => {
    const body = parseBody(ScanRequestSchema, request.body);
    await ctx.engine.check(body);
    const via =
      request.cookies[SESSION_COOKIE] !== undefined && bearer(request) === undefined ? 'dashboard' : 'api';
    const scan = await ctx.store.createScan({ request: body, trigger: `${via}:${who(request)}` });
    await ctx.queue.enqueue(scan);
    return reply
      .code(202)
      .header('location', `/api/scans/${scan.id}`)
      .send({ id: scan.id, status: scan.status });
  });

  app.get('/api/scans', read, async (request) => {
    const query = request.query as { limit?: string; status?: string };
    const limit = query.limit !== undefined ? Number(query.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new HttpError(400, 'limit must be a whole number from 1 to 1000');
    const status = query.status;
    if (status !== undefined && !['queued', 'running', 'done', 'failed'].includes(status))
      throw new HttpError(400, 'status must be queued, running, done or failed');
    const scans = await ctx.store.listScans({
      limit,
      ...(status ? { status: status as Scan['status'] } : {}),
    });
    return { scans: scans.map(scanView) };
  });

  app.get('/api/scans/:id', read, async (request) =>
    scanView(await loadScan((request.params as { id: string }).id)),
  );

  app.get('/api/scans/:id/report', read, async (request, reply) => {
    const scan = await loadScan((request.params as { id: string }).id);
    const format = ((request.query as { format?: string }).format ?? 'json').toLowerCase();
    if (!ctx.engine.formats.includes(format))
      throw new HttpError(400, `unknown format '${format}'; choose one of: ${ctx.engine.formats.join(', ')}`);
    if (scan.status !== 'done')
      throw new HttpError(
        409,
        `scan ${scan.id} is ${scan.status}: it has no report${scan.error ? ` (${scan.error})` : ''}`,
      );
    if (format === 'json') {
      const report = await cached(`report:${scan.id}`, async () => {
        const text = await ctx.store.getReportText(scan.id);
        if (text === undefined) throw notFound(`report for scan ${scan.id}`);
        return text;
      });
      return reply.type('application/json; charset=utf-8').send(report);
    }
    const evidence = await ctx.store.getEvidence(scan.id);
    if (!evidence) throw notFound(`evidence for scan ${scan.id}`);
    const rendered = await ctx.engine.render(
      evidence.snapshot,
      scan.request,
      evidence.suppressions,
      format,
      (scan.finishedAt ?? new Date().toISOString()).slice(0, 10),
    );
    const download = (request.query as { download?: string }).download !== undefined;
    if (download) reply.header('content-disposition', `attachment; filename="${rendered.fileName}"`);
    // A report is a page of its own: no script may load from elsewhere, and nothing may frame it.
    return reply
      .type(rendered.contentType)
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
      )
      .send(rendered.body);
  });

  /** What changed between two finished scans (old first): diffReports, as `trailcheck diff --format json`. */
  const diffOf = async (oldId: string, newId: string): Promise<Buffer> => {
    const [oldScan, newScan] = await Promise.all([loadScan(oldId), loadScan(newId)]);
    for (const s of [oldScan, newScan])
      if (s.status !== 'done')
        throw new HttpError(409, `scan ${s.id} is ${s.status}: it has no report to compare`);
    return cached(`diff:${oldId}:${newId}`, async () => {
      const [oldReport, newReport] = await Promise.all([
        ctx.store.getReport(oldId),
        ctx.store.getReport(newId),
      ]);
      if (!oldReport || !newReport) throw notFound('report to compare');
      return JSON.stringify({ old: oldId, new: newId, diff: diffReports(oldReport, newReport) });
    });
  };

  app.get('/api/scans/:id/changes', read, async (request, reply) => {
    const scan = await loadScan((request.params as { id: string }).id);
    if (scan.status !== 'done')
      throw new HttpError(409, `scan ${scan.id} is ${scan.status}: it has no report`);
    const previous = await ctx.store.previousDone(scan);
    if (!previous) return { old: null, new: scan.id, diff: null };
    return reply.type('application/json; charset=utf-8').send(await diffOf(previous.id, scan.id));
  });

  app.get('/api/diff', read, async (request, reply) => {
    const { old, new: newer } = request.query as { old?: string; new?: string };
    if (old === undefined || newer === undefined)
      throw new HttpError(400, 'give two scans: /api/diff?old=ID&new=ID');
    return reply.type('application/json; charset=utf-8').send(await diffOf(old, newer));
  });

  const historyLimit = (request: FastifyRequest) => {
    const raw = (request.query as { limit?: string }).limit;
    const limit = raw !== undefined ? Number(raw) : 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_POINTS)
      throw new HttpError(400, `limit must be a whole number from 1 to ${HISTORY_MAX_POINTS}`);
    return limit;
  };

  /** ?view=series: one point per scan (counts); else one point per account and control, newest first. */
  const historyView = (request: FastifyRequest): 'points' | 'series' => {
    const view = (request.query as { view?: string }).view ?? 'points';
    if (view !== 'points' && view !== 'series') throw new HttpError(400, 'view must be points or series');
    return view;
  };

  /** History answers hold until the next scan finishes: cached under the store's generation of finished scans. */
  const history = async (
    request: FastifyRequest,
    reply: FastifyReply,
    subject: { control: string } | { account: string },
    filter: { control?: string; account?: string },
  ) => {
    const view = historyView(request);
    const limit = historyLimit(request);
    const key = `history:${view}:${JSON.stringify(filter)}:${limit}:${await ctx.store.doneGeneration()}`;
    const body = await cached(key, async () =>
      JSON.stringify(
        view === 'series'
          ? { ...subject, series: await ctx.store.historySeries({ ...filter, limit }) }
          : { ...subject, points: await ctx.store.history({ ...filter, limit }) },
      ),
    );
    return reply.type('application/json; charset=utf-8').send(body);
  };

  app.get('/api/history/controls/:control', read, async (request, reply) => {
    const { control } = request.params as { control: string };
    const account = (request.query as { account?: string }).account;
    return history(request, reply, { control }, { control, ...(account ? { account } : {}) });
  });

  app.get('/api/history/accounts/:account', read, async (request, reply) => {
    const { account } = request.params as { account: string };
    return history(request, reply, { account }, { account });
  });

  app.get('/api/schedules', read, async () => ({
    schedules: (await ctx.store.listSchedules()).map((s) => ({
      ...s,
      nextRunAt: nextRun(s)?.toISOString() ?? null,
    })),
  }));

  app.post('/api/schedules', admin, async (request, reply) => {
    const body = parseBody(ScheduleBodySchema, request.body);
    if (body.cron !== undefined) checkCron(body.cron);
    if (body.intervalSeconds !== undefined) checkInterval(body.intervalSeconds);
    const scanRequest = body.request ?? {};
    await ctx.engine.check(scanRequest);
    if ((await ctx.store.listSchedules()).some((s) => s.name === body.name))
      throw new HttpError(409, `a schedule named '${body.name}' exists already`);
    const schedule = await ctx.store.createSchedule({
      name: body.name,
      cron: body.cron ?? null,
      intervalSeconds: body.intervalSeconds ?? null,
      request: scanRequest,
    });
    ctx.scheduler?.arm(schedule);
    return reply.code(201).send({ ...schedule, nextRunAt: nextRun(schedule)?.toISOString() ?? null });
  });

  app.delete('/api/schedules/:id', admin, async (request, reply) => {
    const { id } = request.params as { id: string };
    ctx.scheduler?.disarm(id);
    if (!(await ctx.store.deleteSchedule(id))) throw notFound(`schedule ${id}`);
    return reply.code(204).send();
  });

  app.post('/api/schedules/:id/run', admin, async (request, reply) => {
    const { id } = request.params as { id: string };
    const schedule = await ctx.store.getSchedule(id);
    if (!schedule) throw notFound(`schedule ${id}`);
    const scan = await ctx.store.createScan({
      request: schedule.request,
      trigger: `schedule:${schedule.name} (run now by ${who(request)})`,
      scheduleId: schedule.id,
    });
    await ctx.queue.enqueue(scan);
    return reply.code(202).send({ id: scan.id, status: scan.status });
  });

  app.get('/api/suppressions', read, async () => ({ suppressions: await ctx.store.listSuppressions() }));

  app.post('/api/suppressions', admin, async (request, reply) => {
    const body = parseBody(SuppressionBodySchema, request.body);
    const suppression = await ctx.store.createSuppression({ ...body, createdBy: who(request) });
    return reply.code(201).send(suppression);
  });

  app.post('/api/suppressions/:id/expire', admin, async (request) => {
    const { id } = request.params as { id: string };
    if (!(await ctx.store.expireSuppression(id))) throw notFound(`suppression ${id} in force`);
    return { id, expired: true };
  });

  app.get('/api/alerts', read, async () => ({ alerts: await ctx.store.listAlerts() }));

  app.get('/api/tokens', admin, async () => ({ tokens: await ctx.store.listTokens() }));

  app.post('/api/tokens', admin, async (request, reply) => {
    const body = parseBody(TokenBodySchema, request.body);
    const { token, secret } = await ctx.auth.createToken(body.name, body.role);
    return reply.code(201).send({ ...token, token: secret });
  });

  app.delete('/api/tokens/:id', admin, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await ctx.store.revokeToken(id))) throw notFound(`token ${id} in force`);
    return reply.code(204).send();
  });

  registerDashboard(app, ctx, { identify });
  return app;
}

export { HttpError };
