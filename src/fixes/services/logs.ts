/** CloudWatch Logs' write operations: the log group CloudTrail.5's fix creates (and keeps). */
import { text } from '../../core/api-call.js';
import { apiCall } from '../../core/api-call.js';
import type { ServiceOperations } from './types.js';

export const LOGS: ServiceOperations = {
  CreateLogGroup: {
    simulate: () => ({}),
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
};
