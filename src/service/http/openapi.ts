/**
 * The API's OpenAPI 3.1 document, served at /api/openapi.json. Request bodies come from the same zod
 * schemas the routes validate with, so the document cannot promise what the service refuses.
 */
import { z } from 'zod';
import { TOOL_VERSION } from '../../version.js';
import { SuppressionFileSchema } from '../../judge/suppressions.js';
import { ScanRequestSchema } from '../request.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = { description: 'One line saying what is wrong', ...json(ref('Error')) };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** The most points one history answer gives (app.ts refuses more). */
export const HISTORY_MAX_POINTS = 20_000;

/** What both history routes take besides their subject: how many points, and in which shape. */
const historyQuery = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: HISTORY_MAX_POINTS } },
  { name: 'view', in: 'query', schema: { type: 'string', enum: ['points', 'series'] } },
];
const historyResponses = {
  200: {
    description: 'History',
    ...json({ type: 'object', properties: { points: { type: 'array', items: ref('HistoryPoint') } } }),
  },
  400: error,
};

function bodySchema(schema: z.ZodType): object {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'trailcheck service',
      version: TOOL_VERSION,
      description:
        'Scheduled assessments of AWS audit-trail posture, their history, differences and alerts. Every path but /healthz needs `Authorization: Bearer <token>`; changes need an admin token.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
        ScanRequest: bodySchema(ScanRequestSchema),
        Suppression: bodySchema(SuppressionFileSchema.shape.suppressions.element),
        Scan: {
          type: 'object',
          required: ['id', 'status', 'trigger', 'createdAt'],
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
            trigger: { type: 'string' },
            scheduleId: { type: ['string', 'null'] },
            request: ref('ScanRequest'),
            createdAt: { type: 'string', format: 'date-time' },
            startedAt: { type: ['string', 'null'] },
            finishedAt: { type: ['string', 'null'] },
            durationMs: { type: ['integer', 'null'] },
            integer_result: { type: ['integer', 'null'], enum: [0, 1, 2, null] },
            pretty_result: { type: ['string', 'null'] },
            summary: { type: ['object', 'null'] },
            error: { type: ['string', 'null'] },
            subject: { type: ['string', 'null'] },
            attempts: { type: 'integer' },
          },
        },
        HistoryPoint: {
          type: 'object',
          properties: {
            scanId: { type: 'string' },
            finishedAt: { type: 'string' },
            account: { type: 'string' },
            control: { type: 'string' },
            status: { type: 'string' },
            pass: { type: 'integer' },
            fail: { type: 'integer' },
            unknown: { type: 'integer' },
          },
        },
      },
    },
    paths: {
      '/healthz': {
        get: {
          security: [],
          summary: 'Liveness: answers without a token',
          responses: { 200: { description: 'The service runs', ...json({ type: 'object' }) } },
        },
      },
      '/api/scans': {
        get: {
          summary: 'Scans, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
            },
          ],
          responses: {
            200: {
              description: 'Scans',
              ...json({ type: 'object', properties: { scans: { type: 'array', items: ref('Scan') } } }),
            },
            400: error,
            401: error,
          },
        },
        post: {
          summary: 'Start a scan now (admin)',
          requestBody: { required: false, ...json(ref('ScanRequest')) },
          responses: {
            202: {
              description: 'Queued',
              ...json({
                type: 'object',
                required: ['id'],
                properties: { id: { type: 'string' }, status: { type: 'string' } },
              }),
            },
            400: error,
            401: error,
            403: error,
          },
        },
      },
      '/api/scans/{id}': {
        get: {
          summary: 'One scan: its status and summary',
          parameters: [idParam],
          responses: { 200: { description: 'The scan', ...json(ref('Scan')) }, 404: error },
        },
      },
      '/api/scans/{id}/report': {
        get: {
          summary: 'The report of a finished scan in any format',
          parameters: [
            idParam,
            {
              name: 'format',
              in: 'query',
              schema: {
                type: 'string',
                enum: ['text', 'markdown', 'html', 'json', 'sarif', 'asff', 'ocsf', 'csv', 'junit'],
              },
            },
            { name: 'download', in: 'query', schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'The report' }, 400: error, 404: error, 409: error },
        },
      },
      '/api/scans/{id}/changes': {
        get: {
          summary: 'What changed since the previous scan of the same target',
          parameters: [idParam],
          responses: {
            200: { description: 'The diff (null for the first scan)', ...json({ type: 'object' }) },
            404: error,
            409: error,
          },
        },
      },
      '/api/diff': {
        get: {
          summary: 'What changed between two scans',
          parameters: [
            { name: 'old', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'new', in: 'query', required: true, schema: { type: 'string' } },
          ],
          responses: {
            200: { description: 'The diff', ...json({ type: 'object' }) },
            400: error,
            404: error,
            409: error,
          },
        },
      },
      '/api/history/controls/{control}': {
        get: {
          summary: "A control's verdicts over time, newest first",
          parameters: [
            { name: 'control', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'account', in: 'query', schema: { type: 'string' } },
            ...historyQuery,
          ],
          responses: historyResponses,
        },
      },
      '/api/history/accounts/{account}': {
        get: {
          summary: "An account's verdicts over time, newest first",
          parameters: [
            { name: 'account', in: 'path', required: true, schema: { type: 'string' } },
            ...historyQuery,
          ],
          responses: historyResponses,
        },
      },
      '/api/schedules': {
        get: {
          summary: 'Schedules',
          responses: { 200: { description: 'Schedules', ...json({ type: 'object' }) } },
        },
        post: {
          summary: 'Create a schedule (admin): a cron expression or an interval',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                cron: { type: 'string' },
                intervalSeconds: { type: 'integer', minimum: 60 },
                request: ref('ScanRequest'),
              },
            }),
          },
          responses: { 201: { description: 'Created', ...json({ type: 'object' }) }, 400: error, 409: error },
        },
      },
      '/api/schedules/{id}': {
        delete: {
          summary: 'Delete a schedule (admin)',
          parameters: [idParam],
          responses: { 204: { description: 'Deleted' }, 404: error },
        },
      },
      '/api/schedules/{id}/run': {
        post: {
          summary: "Run a schedule's scan now (admin)",
          parameters: [idParam],
          responses: { 202: { description: 'Queued', ...json({ type: 'object' }) }, 404: error },
        },
      },
      '/api/suppressions': {
        get: {
          summary: 'Suppressions, with their reasons and expiry',
          responses: { 200: { description: 'Suppressions', ...json({ type: 'object' }) } },
        },
        post: {
          summary: 'Accept a finding until a date (admin)',
          requestBody: { required: true, ...json(ref('Suppression')) },
          responses: { 201: { description: 'Created', ...json({ type: 'object' }) }, 400: error },
        },
      },
      '/api/suppressions/{id}/expire': {
        post: {
          summary: 'End a suppression now (admin)',
          parameters: [idParam],
          responses: { 200: { description: 'Ended', ...json({ type: 'object' }) }, 404: error },
        },
      },
      '/api/alerts': {
        get: {
          summary: 'Alerts sent, newest first',
          responses: { 200: { description: 'Alerts', ...json({ type: 'object' }) } },
        },
      },
      '/api/tokens': {
        get: {
          summary: 'Tokens (admin); never their secrets',
          responses: { 200: { description: 'Tokens', ...json({ type: 'object' }) } },
        },
        post: {
          summary: 'Make a token (admin); its secret is shown once',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['name', 'role'],
              properties: { name: { type: 'string' }, role: { type: 'string', enum: ['admin', 'read'] } },
            }),
          },
          responses: { 201: { description: 'Created', ...json({ type: 'object' }) }, 400: error },
        },
      },
      '/api/tokens/{id}': {
        delete: {
          summary: 'Revoke a token (admin)',
          parameters: [idParam],
          responses: { 204: { description: 'Revoked' }, 404: error },
        },
      },
    },
  };
}
