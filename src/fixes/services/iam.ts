/** IAM's write operations: the role CloudTrail.5's fix creates for CloudTrail, and its inline policy. */
import { text } from '../../core/api-call.js';
import { apiCall } from '../../core/api-call.js';
import { str } from './draft.js';
import type { ServiceOperations } from './types.js';
import { NoUndo } from './types.js';

export const IAM: ServiceOperations = {
  CreateRole: {
    simulate: (draft, input) => ({
      Role: {
        Arn: `arn:${draft.snapshot.account.Partition}:iam::${draft.snapshot.account.Account}:role/${str(input.RoleName) ?? ''}`,
      },
    }),
    undo: (call) => ({
      kind: 'remove',
      calls: [apiCall('iam', 'DeleteRole', call.region, { RoleName: text(call.input.RoleName) })],
      exact: true,
      note: `delete role ${text(call.input.RoleName)}, which this run created`,
    }),
    creates: (call) => [`role:${text(call.input.RoleName)}`],
    names: (call) => [{ kind: 'role', name: text(call.input.RoleName), region: call.region }],
    target: (call, { targets }) => {
      targets.roles.push({
        name: text(call.input.RoleName),
        trust: text(call.input.AssumeRolePolicyDocument),
        description: text(call.input.Description),
        policies: [],
      });
    },
  },
  PutRolePolicy: {
    simulate: () => ({}),
    undo: (call, _before, created) => {
      const { input, region } = call;
      if (!created.has(`role:${text(input.RoleName)}`))
        return new NoUndo(`trailcheck does not read the inline policies of role ${text(input.RoleName)}`);
      return {
        kind: 'remove',
        calls: [
          apiCall('iam', 'DeleteRolePolicy', region, {
            RoleName: text(input.RoleName),
            PolicyName: text(input.PolicyName),
          }),
        ],
        exact: true,
        note: `delete the inline policy of role ${text(input.RoleName)} (IAM deletes a role only once it has none)`,
      };
    },
    target: (call, { targets }) => {
      targets.roles
        .find((r) => r.name === text(call.input.RoleName))
        ?.policies.push({ name: text(call.input.PolicyName), document: text(call.input.PolicyDocument) });
    },
  },
  DeleteRolePolicy: {
    simulate: () => ({}),
  },
  DeleteRole: {
    simulate: () => ({}),
  },
};
