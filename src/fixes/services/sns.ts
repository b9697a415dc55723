/**
 * SNS's write operations: the topic the monitoring checks' alarms notify (created only when the user asks
 * for one with --alert-email, and deleted again on undo) and the subscription of the user's address.
 */
import { apiCall, ref, text } from '../../core/api-call.js';
import { ok, str } from './draft.js';
import type { Draft } from './draft.js';
import type { ServiceOperations } from './types.js';
import { NoUndo, none } from './types.js';

/** Protocols whose subscription waits for its endpoint to confirm it (a link in an e-mail, a URL's answer). */
export const CONFIRMED_BY_ENDPOINT = new Set(['email', 'email-json', 'http', 'https']);

/** A topic's ARN from the name CreateTopic is given, in the call's Region and the snapshot's account. */
export function topicArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:sns:${region}:${account}:${name}`;
}

function changeTopic(
  draft: Draft,
  arn: string,
  change: (subscriptions: Array<{ SubscriptionArn: string; Protocol?: string }>) => Array<{
    SubscriptionArn: string;
    Protocol?: string;
  }>,
): void {
  const monitoring = draft.monitoring();
  const index = monitoring?.topics.findIndex((t) => t.TopicArn === arn) ?? -1;
  const topic = monitoring?.topics[index];
  if (!monitoring || !topic?.subscriptions.ok) return;
  monitoring.topics[index] = {
    ...topic,
    subscriptions: ok(
      { Subscriptions: change(topic.subscriptions.value.Subscriptions) },
      'sns:ListSubscriptionsByTopic',
      topic.Region,
    ),
  };
}

export const SNS: ServiceOperations = {
  CreateTopic: {
    simulate: (draft, input, call) => {
      const { Partition, Account } = draft.snapshot.account;
      const arn = topicArn(Partition, call.region, Account, str(input.Name) ?? '');
      const monitoring = draft.monitoring();
      if (monitoring && !monitoring.topics.some((t) => t.TopicArn === arn)) {
        monitoring.topics.push({
          TopicArn: arn,
          Region: call.region,
          subscriptions: ok({ Subscriptions: [] }, 'sns:ListSubscriptionsByTopic', call.region),
        });
        monitoring.topics.sort((a, b) => a.TopicArn.localeCompare(b.TopicArn));
      }
      return { TopicArn: arn };
    },
    undo: (call, before) => {
      const arn = topicArn(
        before.account.Partition,
        call.region,
        before.account.Account,
        text(call.input.Name),
      );
      return {
        kind: 'remove',
        calls: [apiCall('sns', 'DeleteTopic', call.region, { TopicArn: arn })],
        exact: true,
        note: `delete SNS topic ${arn}, which this run created (with its subscriptions)`,
      };
    },
    creates: (call) => [`topic:${call.region}:${text(call.input.Name)}`],
    names: (call) => [{ kind: 'topic', name: text(call.input.Name), region: call.region }],
    target: (call, { targets }) => {
      targets.topics.push({ region: call.region, name: text(call.input.Name) });
    },
  },
  DeleteTopic: {
    simulate: (draft, input) => {
      const monitoring = draft.monitoring();
      if (monitoring) monitoring.topics = monitoring.topics.filter((t) => t.TopicArn !== str(input.TopicArn));
      return {};
    },
  },
  Subscribe: {
    simulate: (draft, input, call) => {
      const protocol = str(input.Protocol) ?? '';
      // Until its endpoint confirms, AWS lists a subscription as PendingConfirmation: it alerts nobody yet.
      const arn = CONFIRMED_BY_ENDPOINT.has(protocol)
        ? 'PendingConfirmation'
        : `${str(input.TopicArn) ?? ''}:trailcheck-new-${call.output ?? 'subscription'}`;
      const topic = str(input.TopicArn) ?? '';
      const monitoring = draft.monitoring();
      // A topic that exists but no alarm notifies yet is not in the evidence: it is judged by this
      // subscription alone, so a topic whose other subscribers are unknown never counts as confirmed.
      if (monitoring && !monitoring.topics.some((t) => t.TopicArn === topic)) {
        monitoring.topics.push({
          TopicArn: topic,
          Region: call.region,
          subscriptions: ok({ Subscriptions: [] }, 'sns:ListSubscriptionsByTopic', call.region),
        });
        monitoring.topics.sort((a, b) => a.TopicArn.localeCompare(b.TopicArn));
      }
      changeTopic(draft, topic, (subscriptions) => [
        ...subscriptions,
        { SubscriptionArn: arn, Protocol: protocol },
      ]);
      return { SubscriptionArn: arn };
    },
    undo: (call, _before, created) => {
      const arn = text(call.input.TopicArn);
      const name = arn.split(':').pop() ?? '';
      if (created.has(`topic:${call.region}:${name}`))
        return none(`topic ${name} is new: deleting it removes the subscription`);
      if (!call.output)
        return new NoUndo(`the subscription to topic ${arn} is not named, so it cannot be removed`);
      return {
        kind: 'remove',
        calls: [
          apiCall('sns', 'Unsubscribe', call.region, {
            SubscriptionArn: ref(`${call.output}.SubscriptionArn`),
          }),
        ],
        exact: true,
        note: `remove the subscription to topic ${arn} that this run made`,
      };
    },
    target: (call, { targets }) => {
      targets.subscriptions.push({
        region: call.region,
        topicArn: text(call.input.TopicArn),
        protocol: text(call.input.Protocol),
        endpoint: text(call.input.Endpoint),
      });
    },
  },
  Unsubscribe: {
    simulate: (draft, input) => {
      const arn = str(input.SubscriptionArn) ?? '';
      const monitoring = draft.monitoring();
      const topic = monitoring?.topics.find((t) => arn.startsWith(`${t.TopicArn}:`));
      if (topic) changeTopic(draft, topic.TopicArn, (s) => s.filter((x) => x.SubscriptionArn !== arn));
      return {};
    },
  },
};
