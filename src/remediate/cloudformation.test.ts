/** The plan as CloudFormation reads the same to a YAML 1.1 reader as to a YAML 1.2 one. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { everyFixSnapshot } from '../../test/support/plan-snapshots.js';
import { CONTROLS } from '../controls/index.js';
import { renderPlanCloudFormation } from './cloudformation.js';
import { buildPlan } from './plan.js';

describe('the plan as CloudFormation', () => {
  it('quotes every number-like string, at any depth, so YAML 1.1 reads no date or number', () => {
    const snapshot = everyFixSnapshot();
    const text = renderPlanCloudFormation(buildPlan(snapshot, CONTROLS), snapshot);
    assert.match(text, /AWSTemplateFormatVersion: "2010-09-09"/);
    assert.match(text, / {12}Version: "2012-10-17"/, 'a policy document nested in a resource');
    assert.match(text, /kms:CallerAccount: "\d{12}"/, 'a condition value deep in a key policy');
    const read = (version: '1.1' | '1.2') =>
      parseAllDocuments(text, { version }).map((document) => document.toJS() as unknown);
    assert.deepEqual(read('1.1'), read('1.2'));
  });
});
