import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS, findControl } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import { iamActionOf } from '../fixes/calls.js';
import { everyFixSnapshot, noTrailSnapshot } from '../../test/support/plan-snapshots.js';
import { fixPolicy, fixWriteActions } from './permissions.js';
import { buildPlan } from './plan.js';

const control = (id: string) => findControl(id) as ControlDefinition;

describe('iam-policy --for fix, from what each control declares', () => {
  it('every call a control’s plan makes, and every undo, is among the writes it declares', () => {
    for (const c of CONTROLS) {
      const declared = new Set(fixWriteActions([c]));
      for (const snapshot of [everyFixSnapshot(), noTrailSnapshot()]) {
        for (const step of buildPlan(snapshot, [c]).steps) {
          // Not undo.manual: those are for the user to run by hand (deleting a key), never trailcheck.
          for (const call of [step.call, ...step.undo.calls])
            assert.ok(declared.has(iamActionOf(call)), `${c.id}: ${iamActionOf(call)} is not declared`);
        }
      }
    }
  });

  it('the writes come from the declaration, not from the control id: a new control brings its own', () => {
    const copy: ControlDefinition = { ...control('CloudTrail.4'), id: 'TC.NewControl' };
    assert.deepEqual(fixWriteActions([copy]), ['cloudtrail:UpdateTrail']);
    const { fixPermissions: _none, ...withoutFix } = control('CloudTrail.4');
    assert.deepEqual(fixWriteActions([withoutFix]), []);
  });

  it('grants the actions AWS checks behind a call: a flow log to S3 needs logs:CreateLogDelivery', () => {
    const flowLogs = fixWriteActions([findControl('EC2.6') as ControlDefinition]);
    assert.ok(flowLogs.includes('ec2:CreateFlowLogs'));
    assert.ok(flowLogs.includes('logs:CreateLogDelivery') && flowLogs.includes('logs:DeleteLogDelivery'));
  });

  it('iam:PassRole only when a chosen control passes a role, scoped as it declares', () => {
    const passes = fixPolicy([control('CloudTrail.5')], 'aws-us-gov').Statement.find(
      (s) => s.Sid === 'TrailcheckPassCloudWatchLogsRole',
    );
    assert.deepEqual(passes, {
      Sid: 'TrailcheckPassCloudWatchLogsRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: 'arn:aws-us-gov:iam::*:role/CloudTrailToCloudWatchLogs-*',
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
    });
    const others = CONTROLS.filter((c) => c.id !== 'CloudTrail.5');
    assert.ok(fixPolicy(others).Statement.every((s) => !s.Action.includes('iam:PassRole')));
  });
});
