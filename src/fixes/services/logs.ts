/**
 * CloudWatch Logs' write operations: the log group CloudTrail.5's fix creates (and keeps), and the metric
 * filters the monitoring checks' fixes put on a trail's log group (removed again on undo).
 */
import type { ApiCall, Json } from '../../core/api-call.js';
import { apiCall, text } from '../../core/api-call.js';
import type { MetricFilter } from '../../snapshot/schema.js';
import { findLogGroup, ok, str } from './draft.js';
import type { Draft } from './draft.js';
import type { ServiceOperations } from './types.js';
import { NoUndo } from './types.js';

/** The snapshot's log groups list only those a trail delivers to; any other is not modelled. */
function replaceFilters(
  draft: Draft,
  call: ApiCall,
  name: string,
  change: (filters: MetricFilter[]) => MetricFilter[],
): void {
  const monitoring = draft.monitoring();
  const index =
    monitoring?.logGroups.findIndex((g) => g.Region === call.region && g.logGroupName === name) ?? -1;
  const group = monitoring?.logGroups[index];
  if (!monitoring || !group?.metricFilters.ok) return;
  const filters = change(group.metricFilters.value.MetricFilters);
  // DescribeMetricFilters lists a group's filters by name.
  filters.sort((a, b) => a.filterName.localeCompare(b.filterName));
  monitoring.logGroups[index] = {
    ...group,
    metricFilters: ok({ MetricFilters: filters }, 'logs:DescribeMetricFilters', call.region),
  };
}

/** A metric filter as DescribeMetricFilters shows it, from PutMetricFilter's input. */
function filterOf(input: Record<string, unknown>): MetricFilter {
  const transformations = Array.isArray(input.metricTransformations)
    ? (input.metricTransformations as Array<{
        metricName?: string;
        metricNamespace?: string;
        dimensions?: Record<string, string>;
      }>)
    : [];
  return {
    filterName: str(input.filterName) ?? '',
    filterPattern: str(input.filterPattern) ?? '',
    metricTransformations: transformations.map((t) => ({
      metricName: t.metricName ?? '',
      metricNamespace: t.metricNamespace ?? '',
      ...(t.dimensions && Object.keys(t.dimensions).length > 0 ? { dimensions: t.dimensions } : {}),
    })),
  };
}

export const LOGS: ServiceOperations = {
  CreateLogGroup: {
    simulate: (draft, input, call) => {
      // A new group a trail is about to deliver to has no metric filters: the monitoring checks judge it so.
      const monitoring = draft.monitoring();
      const name = str(input.logGroupName) ?? '';
      if (monitoring && !findLogGroup(draft.snapshot, call.region, name)) {
        const { Partition, Account } = draft.snapshot.account;
        monitoring.logGroups.push({
          LogGroupArn: `arn:${Partition}:logs:${call.region}:${Account}:log-group:${name}:*`,
          logGroupName: name,
          Region: call.region,
          metricFilters: ok({ MetricFilters: [] }, 'logs:DescribeMetricFilters', call.region),
        });
        monitoring.logGroups.sort((a, b) => a.LogGroupArn.localeCompare(b.LogGroupArn));
      }
      return {};
    },
    undo: (call) => ({
      kind: 'keep',
      calls: [],
      manual: [
        apiCall('logs', 'DeleteLogGroup', call.region, { logGroupName: text(call.input.logGroupName) }),
      ],
      exact: false,
      note: `keep log group ${text(call.input.logGroupName)}: events may already have been delivered to it (delete it by hand if it stays empty)`,
    }),
    creates: (call) => [`loggroup:${call.region}:${text(call.input.logGroupName)}`],
    names: (call) => [{ kind: 'logGroup', name: text(call.input.logGroupName), region: call.region }],
    target: (call, { targets }) => {
      targets.logGroups.push({ name: text(call.input.logGroupName), region: call.region });
    },
  },
  PutMetricFilter: {
    simulate: (draft, input, call) => {
      const filter = filterOf(input);
      replaceFilters(draft, call, str(input.logGroupName) ?? '', (filters) => [
        ...filters.filter((f) => f.filterName !== filter.filterName),
        filter,
      ]);
      return {};
    },
    undo: (call, before, created) => {
      const group = text(call.input.logGroupName);
      const name = text(call.input.filterName);
      const remove = {
        kind: 'remove' as const,
        calls: [
          apiCall('logs', 'DeleteMetricFilter', call.region, { logGroupName: group, filterName: name }),
        ],
        exact: true,
        note: `delete metric filter ${name} of log group ${group}, which this run created`,
      };
      // The group is kept on undo, so the filter this run put on it must go.
      if (created.has(`loggroup:${call.region}:${group}`)) return remove;
      const record = findLogGroup(before, call.region, group);
      if (!record?.metricFilters.ok)
        return new NoUndo(`the metric filters of log group ${group} were not read`);
      if (record.metricFilters.value.MetricFilters.some((f) => f.filterName === name))
        return new NoUndo(
          `log group ${group} has a metric filter ${name} already, and trailcheck does not read its metric value to put it back`,
        );
      return remove;
    },
    document: (call) =>
      `metricfilter:${call.region}:${text(call.input.logGroupName)}:${text(call.input.filterName)}`,
    target: (call, { targets }) => {
      const filter = filterOf(call.input);
      const value = (call.input.metricTransformations as Array<{ metricValue?: Json }> | undefined)?.[0]
        ?.metricValue;
      targets.metricFilters.push({
        region: call.region,
        logGroupName: text(call.input.logGroupName),
        filterName: filter.filterName,
        filterPattern: filter.filterPattern,
        metricName: filter.metricTransformations[0]?.metricName ?? '',
        metricNamespace: filter.metricTransformations[0]?.metricNamespace ?? '',
        metricValue: text(value ?? '1'),
      });
    },
  },
  DeleteMetricFilter: {
    simulate: (draft, input, call) => {
      const name = str(input.filterName) ?? '';
      replaceFilters(draft, call, str(input.logGroupName) ?? '', (filters) =>
        filters.filter((f) => f.filterName !== name),
      );
      return {};
    },
  },
};
