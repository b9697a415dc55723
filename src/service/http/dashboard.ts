/**
 * The dashboard's pages and its sign-in. (A first version: sign-in and a page that loads; the full
 * dashboard replaces the page.)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Token } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { SESSION_COOKIE } from './auth.js';

export interface DashboardHooks {
  identify: (request: FastifyRequest) => Promise<Token | undefined>;
}

const LOGIN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>trailcheck: sign in</title></head>
<body><main><h1>trailcheck</h1><form method="post" action="/login"><label>Token <input name="token" type="password" autocomplete="current-password" required></label><button type="submit">Sign in</button></form></main></body></html>`;

export function registerDashboard(app: FastifyInstance, ctx: ServiceContext, hooks: DashboardHooks): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.get('/login', async (_request, reply) => reply.type('text/html; charset=utf-8').send(LOGIN_PAGE));

  app.post('/login', async (request, reply) => {
    const given = (request.body as { token?: unknown } | undefined)?.token;
    const secret = typeof given === 'string' ? given.trim() : '';
    const token = await ctx.auth.byToken(secret);
    if (!token)
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(LOGIN_PAGE.replace('<form', '<p role="alert">That token is not valid.</p><form'));
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

  app.get('/', async (request, reply) => {
    const token = await hooks.identify(request);
    if (!token) return reply.redirect('/login', 303);
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>trailcheck</title></head><body><h1>trailcheck</h1></body></html>',
      );
  });
}
