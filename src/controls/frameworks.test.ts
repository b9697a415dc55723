import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FRAMEWORK_DEFINITIONS } from '../frameworks/index.js';
import { FRAMEWORKS, findFramework, mappingsOf } from './frameworks.js';
import { CONTROLS } from './index.js';

describe('framework tables, gathered from the control folders', () => {
  it('has every framework, and no framework gives two controls one number', () => {
    assert.deepEqual(
      FRAMEWORKS.map((f) => f.id),
      FRAMEWORK_DEFINITIONS.map((f) => f.id),
    );
    for (const framework of FRAMEWORKS) {
      const numbers = Object.values(framework.controls);
      assert.equal(new Set(numbers).size, numbers.length, `${framework.id} numbers a control twice`);
    }
  });

  it('lists a control only where its folder says so', () => {
    for (const control of CONTROLS) {
      const declared = Object.entries(control.frameworks ?? {}).map(([framework, id]) => ({ framework, id }));
      assert.deepEqual(
        mappingsOf(control.id).map(({ framework, id }) => ({ framework, id })),
        declared.sort(
          (a, b) =>
            FRAMEWORKS.findIndex((f) => f.id === a.framework) -
            FRAMEWORKS.findIndex((f) => f.id === b.framework),
        ),
        control.id,
      );
    }
  });

  it('CIS v3.0, v4.0 and v5.0 share their numbers; v1.2 has no Organizations item', () => {
    assert.deepEqual(findFramework('cis-4.0').controls, findFramework('cis-3.0').controls);
    assert.deepEqual(findFramework('cis-5.0').controls, findFramework('cis-3.0').controls);
    assert.equal(findFramework('cis-1.2').controls['TC.OrganizationsChanges'], undefined);
    assert.equal(findFramework('cis-3.0').controls['CloudWatch.1'], '4.3');
    assert.equal(findFramework('securityhub').controls['TC.S3ObjectWrites'], 'S3.22');
  });
});
