/**
 * Alerts, delivered: to webhooks (Slack-compatible JSON, by fetch) and to SNS topics. A destination
 * that fails is retried a little, then recorded and logged; it never fails or undoes the scan. What was
 * delivered where is kept with the alert (GET /api/alerts), with webhook URLs cut to their origin, since
 * a webhook's path is often its secret (Slack's are).
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { UsageError } from '../util/errors.js';
import { firstUnsafeCharacter, oneLine } from '../util/text.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { AlertMessage } from './alerts.js';
import { alertsForScan } from './alerts.js';
import type { AfterScan } from './runner.js';
import type { Scan, Store } from './store/store.js';

export interface AlertDestinations {
  webhooks: URL[];
  snsTopics: string[];
}

export interface Delivery {
  /** Where: "webhook https://hooks.example.com/…" or "sns arn:aws:sns:…". */
  destination: string;
  ok: boolean;
  attempts: number;
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** Why it failed, one line. */
  error?: string;
}

/** Splits repeated and comma-separated flag values into the values themselves. */
function listValues(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim());
}

/** `--alert-webhook`: http(s) URLs only (never file: or anything else fetch might open), without user:password. */
export function parseWebhookUrls(values: readonly string[], name = '--alert-webhook'): URL[] {
  return listValues(values).map((value) => {
    const shown = oneLine(value, 120);
    if (value === '') throw new UsageError(`${name} needs a URL; run 'trailcheck serve --help'.`);
    const unsafe = firstUnsafeCharacter(value);
    if (unsafe) throw new UsageError(`${name} contains the control character ${unsafe.codePoint}.`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`${name} takes an http:// or https:// URL, not '${shown}'.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UsageError(
        `${name} takes an http:// or https:// URL, not a ${url.protocol} one ('${shown}').`,
      );
    if (url.username !== '' || url.password !== '')
      throw new UsageError(
        `${name} takes a URL without user:password in it (${url.origin}); put the secret in its path or query.`,
      );
    return url;
  });
}

const SNS_TOPIC_ARN =
  /^arn:aws(?:-[a-z]+)*:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** `--alert-sns-topic`: topic ARNs (arn:aws:sns:REGION:ACCOUNT:NAME). */
export function parseSnsTopics(values: readonly string[]): string[] {
  return listValues(values).map((value) => {
    if (!SNS_TOPIC_ARN.test(value))
      throw new UsageError(
        `--alert-sns-topic takes an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:trailcheck-alerts, not '${oneLine(value, 120)}'.`,
      );
    return value;
  });
}

/** The destinations from the flags, else from TRAILCHECK_ALERT_WEBHOOK and TRAILCHECK_ALERT_SNS_TOPIC. */
export function alertDestinations(
  flags: { webhooks?: readonly string[] | undefined; snsTopics?: readonly string[] | undefined },
  env: NodeJS.ProcessEnv,
): AlertDestinations {
  const fromEnv = (name: string) => {
    const value = env[name]?.trim();
    return value ? [value] : [];
  };
  const webhooks = flags.webhooks?.length ? flags.webhooks : fromEnv('TRAILCHECK_ALERT_WEBHOOK');
  const topics = flags.snsTopics?.length ? flags.snsTopics : fromEnv('TRAILCHECK_ALERT_SNS_TOPIC');
  return { webhooks: parseWebhookUrls(webhooks), snsTopics: parseSnsTopics(topics) };
}

/** A webhook as it may be shown and stored: its origin only. */
export function webhookLabel(url: URL): string {
  return `webhook ${url.origin}/…`;
}

export interface WebhookOptions {
  timeoutMs?: number;
  /** Tries after the first (default 2). */
  retries?: number;
  /** The wait before the first retry, doubled for each next one. */
  backoffMs?: number;
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts the Slack-compatible body; retries a network error, a timeout, 429 and 5xx, not other answers. */
export async function postWebhook(
  url: URL,
  message: AlertMessage,
  options: WebhookOptions = {},
): Promise<Delivery> {
  const send = options.fetch ?? fetch;
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? 1000;
  const destination = webhookLabel(url);
  let last: Delivery = { destination, ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoff * 2 ** (attempt - 2));
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `${TOOL_NAME}/${TOOL_VERSION}` },
        body: JSON.stringify(message.slack),
        // A redirect could lead anywhere; the URL given is the only one posted to.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel().catch(() => {});
      if (response.ok) return { destination, ok: true, attempts: attempt, status: response.status };
      const redirect = response.status >= 300 && response.status < 400;
      last = {
        destination,
        ok: false,
        attempts: attempt,
        status: response.status,
        error: redirect
          ? `answered ${response.status}, a redirect (not followed)`
          : `answered ${response.status} ${oneLine(response.statusText, 80)}`.trim(),
      };
      if (!(response.status === 429 || response.status >= 500)) return last;
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.name === 'TimeoutError'
            ? 'timed out'
            : error.message
          : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      last = { destination, ok: false, attempts: attempt, error: oneLine(`${reason}${cause}`, 300) };
    }
  }
  return last;
}

/** Publishes the plain-text message, through the process's standard credential chain (and AWS_ENDPOINT_URL). */
export async function publishSns(topicArn: string, message: AlertMessage): Promise<Delivery> {
  const destination = `sns ${topicArn}`;
  const region = SNS_TOPIC_ARN.exec(topicArn)?.[1] ?? 'us-east-1';
  const client = new SNSClient({
    region,
    maxAttempts: 3,
    customUserAgent: `${TOOL_NAME}/${TOOL_VERSION}`,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
  });
  try {
    const fifo = topicArn.endsWith('.fifo');
    const output = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        Message: message.text,
        ...(fifo
          ? { MessageGroupId: 'trailcheck', MessageDeduplicationId: `${message.scanId}-${message.kind}` }
          : {}),
      }),
    );
    return { destination, ok: true, attempts: output.$metadata.attempts ?? 1 };
  } catch (error) {
    const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
    const name = error instanceof Error ? error.name : 'Error';
    const text = error instanceof Error ? error.message : String(error);
    return { destination, ok: false, attempts, error: oneLine(`${name}: ${text}`, 300) };
  } finally {
    client.destroy();
  }
}

export interface Deliverers {
  webhook: (url: URL, message: AlertMessage) => Promise<Delivery>;
  sns: (topicArn: string, message: AlertMessage) => Promise<Delivery>;
}

const DEFAULT_DELIVERERS: Deliverers = { webhook: (url, m) => postWebhook(url, m), sns: publishSns };

/**
 * After each scan: compares it with the scan before it of the same target, records each alert and
 * sends it to every destination (none configured: recorded only, for the API and the dashboard).
 */
export class Alerter implements AfterScan {
  private readonly deliverers: Deliverers;
  /** Where the dashboard is, for links: known only once the service listens (or TRAILCHECK_PUBLIC_URL). */
  private readonly dashboardUrl: () => string;

  constructor(
    private readonly store: Store,
    private readonly destinations: AlertDestinations,
    private readonly log: (line: string) => void = () => {},
    options: { dashboardUrl?: () => string; deliverers?: Deliverers } = {},
  ) {
    this.dashboardUrl = options.dashboardUrl ?? (() => '');
    this.deliverers = options.deliverers ?? DEFAULT_DELIVERERS;
  }

  async afterScan(scan: Scan): Promise<void> {
    if (scan.status !== 'done' && scan.status !== 'failed') return;
    const previousFinished = await this.store.previousFinished(scan);
    let messages: AlertMessage[];
    try {
      if (scan.status === 'done') {
        const previousDone = await this.store.previousDone(scan);
        messages = alertsForScan({
          scan,
          report: await this.store.getReport(scan.id),
          previousFinished,
          previousReport: previousDone ? await this.store.getReport(previousDone.id) : undefined,
          dashboardUrl: this.dashboardUrl(),
        });
      } else messages = alertsForScan({ scan, previousFinished, dashboardUrl: this.dashboardUrl() });
    } catch (error) {
      // Two reports diff cannot compare (say, two findings with one identity): no alert rather than a wrong one.
      this.log(`scan ${scan.id}: no alerts: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const message of messages) {
      const deliveries = await Promise.all([
        ...this.destinations.webhooks.map((url) => this.deliverers.webhook(url, message)),
        ...this.destinations.snsTopics.map((arn) => this.deliverers.sns(arn, message)),
      ]);
      await this.store.recordAlert({ scanId: scan.id, kind: message.kind, body: message, deliveries });
      for (const d of deliveries.filter((x) => !x.ok))
        this.log(
          `scan ${scan.id}: the ${message.kind} alert could not be sent to ${d.destination}: ${d.error ?? 'failed'}`,
        );
      this.log(
        `scan ${scan.id}: ${message.kind} alert (${message.subject}) sent to ${deliveries.filter((d) => d.ok).length} of ${deliveries.length} destination(s)`,
      );
    }
  }
}
