/**
 * Each machine format, for the seed scenario (through the real CLI) and for hand-built assessments with
 * unknowns, suppressions and hostile names, checked by a validator that is not ours:
 * - SARIF: the OASIS SARIF 2.1.0 JSON schema (rtm.5, as shipped in @microsoft/jest-sarif) with Ajv;
 * - ASFF: botocore's parameter validator against the Security Hub service model, and a real
 *   BatchImportFindings + GetFindings round trip on moto;
 * - OCSF: pydantic-ocsf's models and the OCSF 1.5.0 schema export it bundles;
 * - CSV: csv-parse in strict mode;
 * - JUnit: junitparser, the parser of the publish-unit-test-result GitHub action.
 * Every validator is also shown a broken document, so a validator that accepts anything fails the test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { CONTROLS } from '../../src/controls/index.js';
import { reportOf } from '../../src/report/model.js';
import type { Report } from '../../src/report/model.js';
import { CSV_COLUMNS } from '../../src/report/csv.js';
import { render } from '../../src/report/index.js';
import type { Format } from '../../src/report/index.js';
import { packageRoot } from '../../src/util/package-root.js';
import {
  HOSTILE_NAME,
  mixedAssessment,
  organizationAssessment,
  seedAssessment,
  suppressedSeedAssessment,
} from '../support/assessments.js';
import { TEST_CREDENTIALS } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { findMotoPython } from '../support/moto-install.js';
import { useMoto } from '../support/moto-suite.js';
import { bucket, loggingOff, snapshot, trail } from '../support/snapshot-builder.js';
import { ensureValidators, runValidator } from '../support/validators-install.js';

const suite = useMoto();

async function seedOutput(format: Format): Promise<string> {
  const result = await runTrailcheck(['demo', '--format', format], {});
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  return result.stdout;
}

const others: Array<[string, () => Report]> = [
  ['mixed', mixedAssessment],
  ['suppressed', suppressedSeedAssessment],
  ['organization', organizationAssessment],
];

describe('SARIF 2.1.0 against the published JSON schema', () => {
  const schema = JSON.parse(
    readFileSync(
      join(
        packageRoot(),
        'node_modules',
        '@microsoft',
        'jest-sarif',
        'lib',
        'schemas',
        'sarif-2.1.0-rtm.5.json',
      ),
      'utf8',
    ),
  ) as object;
  // The schema's patterns predate Unicode-mode regular expressions (one is invalid with the u flag).
  const ajv = new Ajv.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const check = (text: string) => {
    const doc = JSON.parse(text) as unknown;
    const ok = validate(doc);
    assert.ok(ok, ajv.errorsText(validate.errors, { separator: '\n' }));
    return doc as {
      version: string;
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string }> } };
        results: Array<{
          ruleId: string;
          ruleIndex: number;
          kind: string;
          level: string;
          suppressions?: Array<{ justification: string }>;
          locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }>;
        }>;
      }>;
    };
  };

  it('the seed report is valid: one rule per control, one result per failed finding', async () => {
    const doc = check(await seedOutput('sarif'));
    assert.equal(doc.version, '2.1.0');
    const run = doc.runs[0]!;
    assert.deepEqual(
      run.tool.driver.rules.map((r) => r.id),
      ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.7'],
    );
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.kind, r.level]),
      [
        ['CloudTrail.4', 'fail', 'note'],
        ['CloudTrail.7', 'fail', 'note'],
      ],
    );
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId);
    assert.equal(
      run.results[0]?.locations[0]?.logicalLocations[0]?.fullyQualifiedName,
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/MooncloudCisTest',
    );
  });

  for (const [name, build] of others) {
    it(`the ${name} assessment is valid; unknowns are "open" with level "none", suppressions accepted`, () => {
      const doc = check(render(build(), 'sarif'));
      for (const r of doc.runs[0]!.results) {
        if (r.kind !== 'fail')
          assert.equal(r.level, 'none', 'SARIF: a result that is not a failure has level none');
      }
      if (name === 'mixed') assert.ok(doc.runs[0]!.results.some((r) => r.kind === 'open'));
      if (name === 'suppressed') {
        const suppressed = doc.runs[0]!.results.filter((r) => r.suppressions);
        assert.equal(suppressed.length, 1);
        assert.match(suppressed[0]!.suppressions![0]!.justification, /organization's archive/);
      }
    });
  }

  it('the schema rejects a broken log', () => {
    const doc = JSON.parse(render(seedAssessment(), 'sarif')) as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    doc.runs[0]!.results[0]!.level = 'fatal';
    delete doc.runs[0]!.results[0]!.message;
    assert.equal(validate(doc), false);
  });
});

describe('ASFF for Security Hub BatchImportFindings', () => {
  const python = findMotoPython();
  const botocore = (text: string) => {
    assert.ok(python, 'moto (and with it botocore) is installed by the test set-up');
    return runValidator(python, 'asff_botocore.py', text);
  };
  type Finding = Record<string, unknown> & {
    Id: string;
    Title: string;
    Description: string;
    ProductArn: string;
    Types: string[];
    Severity: { Label: string };
    Compliance: { Status: string };
    Workflow: { Status: string };
    Remediation?: { Recommendation: { Text: string } };
    Resources: Array<{ Type: string; Id: string }>;
  };
  /** ASFF rules the service model does not encode, from the ASFF syntax reference. */
  const documentedLimits = (findings: Finding[]) => {
    const ids = new Set<string>();
    for (const f of findings) {
      assert.ok(f.Id.length <= 512, 'Id at most 512 characters');
      assert.ok(!ids.has(f.Id), 'Ids are unique');
      ids.add(f.Id);
      assert.match(f.ProductArn, /^arn:aws:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/);
      assert.ok(f.Title.length <= 256 && f.Description.length <= 1024);
      assert.ok((f.Remediation?.Recommendation.Text.length ?? 0) <= 512);
      for (const type of f.Types) assert.equal(type.split('/').length, 3, 'namespace/category/classifier');
      assert.ok(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(f.Severity.Label));
      assert.ok(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status));
      assert.ok(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(f.Workflow.Status));
      for (const key of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
        assert.match(
          String(f[key]),
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
          `${key} is ISO 8601 UTC`,
        );
      }
      for (const r of f.Resources) {
        assert.ok(['AwsAccount', 'AwsCloudTrailTrail', 'AwsS3Bucket'].includes(r.Type));
        if (r.Type === 'AwsAccount') assert.match(r.Id, /^AWS::::Account:\d{12}$/);
      }
    }
  };

  it('the seed report passes botocore and the documented limits, and imports into Security Hub on moto', async () => {
    const text = await seedOutput('asff');
    assert.match(botocore(text), /^ok 4 botocore /);
    const { Findings } = JSON.parse(text) as { Findings: Finding[] };
    documentedLimits(Findings);
    assert.deepEqual(
      Findings.map((f) => [f.Compliance.Status, f.Severity.Label]),
      [
        ['PASSED', 'INFORMATIONAL'],
        ['PASSED', 'INFORMATIONAL'],
        ['FAILED', 'LOW'],
        ['FAILED', 'LOW'],
      ],
    );
    const hub = new SecurityHubClient({
      region: 'us-east-1',
      endpoint: suite.moto.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const imported = await hub.send(
        new BatchImportFindingsCommand({ Findings: Findings as unknown as AwsSecurityFinding[] }),
      );
      assert.equal(imported.FailedCount, 0, JSON.stringify(imported.FailedFindings));
      assert.equal(imported.SuccessCount, 4);
      const stored = await hub.send(new GetFindingsCommand({}));
      assert.deepEqual((stored.Findings ?? []).map((f) => f.Id).sort(), Findings.map((f) => f.Id).sort());
      const validation = stored.Findings?.find((f) => f.GeneratorId === 'trailcheck/CloudTrail.4');
      assert.equal(validation?.Compliance?.Status, 'FAILED');
      assert.equal(
        validation?.Resources?.[0]?.Id,
        'arn:aws:cloudtrail:us-east-1:123456789012:trail/MooncloudCisTest',
      );
    } finally {
      hub.destroy();
    }
  });

  for (const [name, build] of others) {
    it(`the ${name} assessment passes botocore and the documented limits`, () => {
      const text = render(build(), 'asff');
      assert.match(botocore(text), /^ok \d+ botocore /);
      const { Findings } = JSON.parse(text) as { Findings: Finding[] };
      documentedLimits(Findings);
      if (name === 'suppressed') assert.ok(Findings.some((f) => f.Workflow.Status === 'SUPPRESSED'));
      if (name === 'mixed') assert.ok(Findings.some((f) => f.Compliance.Status === 'NOT_AVAILABLE'));
    });
  }

  it('botocore rejects a finding without a title or with a wrong type', () => {
    const doc = JSON.parse(render(seedAssessment(), 'asff')) as { Findings: Array<Record<string, unknown>> };
    delete doc.Findings[0]!.Title;
    doc.Findings[1]!.Severity = { Label: 5 };
    assert.throws(
      () => botocore(JSON.stringify(doc)),
      /Missing required parameter in Findings\[0\]: "Title"[\s\S]*Findings\[1\]\.Severity\.Label/,
    );
  });
});

describe('OCSF 1.5.0 Compliance Finding against pydantic-ocsf and the bundled schema', () => {
  let python = '';
  before(() => {
    python = ensureValidators();
  });
  const validate = (text: string) => runValidator(python, 'ocsf_compliance_finding.py', text, ['1.5.0']);

  it('the seed report is valid: one event per finding, compliance status from the verdict', async () => {
    const text = await seedOutput('ocsf');
    assert.equal(validate(text).trim(), 'ok 4');
    const events = JSON.parse(text) as Array<{
      class_uid: number;
      compliance: { control: string; status_id: number };
    }>;
    assert.deepEqual(
      events.map((e) => [e.class_uid, e.compliance.control, e.compliance.status_id]),
      [
        [2003, 'CloudTrail.1', 1],
        [2003, 'CloudTrail.2', 1],
        [2003, 'CloudTrail.4', 3],
        [2003, 'CloudTrail.7', 3],
      ],
    );
  });

  for (const [name, build] of others) {
    it(`the ${name} assessment is valid`, () => {
      const text = render(build(), 'ocsf');
      assert.match(validate(text), /^ok \d+/);
      const events = JSON.parse(text) as Array<{ status_id: number; compliance: { status_id: number } }>;
      if (name === 'suppressed')
        assert.ok(
          events.some((e) => e.status_id === 3),
          'Suppressed',
        );
      if (name === 'mixed')
        assert.ok(
          events.some((e) => e.compliance.status_id === 2),
          'Warning for unknown',
        );
    });
  }

  it('the validator rejects unknown attributes, bad enums and missing required objects', () => {
    const events = JSON.parse(render(seedAssessment(), 'ocsf')) as Array<Record<string, unknown>>;
    events[0]!.status_id = 7;
    (events[1]!.finding_info as Record<string, unknown>).titel = 'typo';
    delete (events[2]!.metadata as Record<string, unknown>).product;
    const error = (() => {
      try {
        validate(JSON.stringify(events));
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    assert.match(error, /\[0\]: 1 validation error[\s\S]*status_id/);
    assert.match(error, /\[1\]\.finding_info\.titel: not an attribute of FindingInfo/);
    assert.match(error, /\[2\]: 1 validation error[\s\S]*metadata\.product/);
  });
});

describe('CSV with a strict parser', () => {
  const parseStrict = (text: string) =>
    parseCsv<Record<string, string>>(text, {
      columns: true,
      relax_quotes: false,
      relax_column_count: false,
      skip_empty_lines: false,
    });

  it('the seed report: one row per finding, every column, CRLF lines', async () => {
    const text = await seedOutput('csv');
    assert.ok(text.endsWith('\r\n'), 'RFC 4180 line ends');
    const rows = parseStrict(text);
    assert.equal(rows.length, 4);
    assert.deepEqual(Object.keys(rows[0]!), [...CSV_COLUMNS]);
    const bucketRow = rows.find((r) => r.control === 'CloudTrail.7');
    assert.equal(bucketRow?.status, 'FAIL');
    assert.equal(bucketRow?.resource_id, 'arn:aws:s3:::mooncloud-cftrail');
    assert.equal(
      bucketRow?.remediation_cli?.split('\n').length,
      5,
      'commands kept one per line inside the field',
    );
    assert.equal(
      bucketRow?.frameworks,
      'securityhub:CloudTrail.7 cis-1.2:2.6 cis-1.4:3.6 cis-3.0:3.4 cis-4.0:3.4 cis-5.0:3.4',
    );
  });

  it('names that look like formulas stay text; quotes and commas survive the round trip', () => {
    const name = '=HYPERLINK("http://evil","click"),x';
    const snap = snapshot({
      trails: [trail({ Name: name, S3BucketName: 'b', LogFileValidationEnabled: false })],
      buckets: [bucket('b', loggingOff())],
    });
    const rows = parseStrict(render(reportOf(snap, CONTROLS), 'csv'));
    const trailRows = rows.filter((r) => r.resource_type === 'AwsCloudTrailTrail');
    assert.ok(trailRows.length > 0);
    for (const row of trailRows) assert.equal(row.resource_name, `'${name}`);
    const mixed = parseStrict(render(mixedAssessment(), 'csv'));
    assert.ok(mixed.some((r) => r.resource_name === HOSTILE_NAME));
    assert.ok(mixed.some((r) => r.status === 'UNKNOWN'));
    assert.ok(parseStrict(render(suppressedSeedAssessment(), 'csv')).some((r) => r.suppressed === 'true'));
  });

  it('an organization: every row names its own account', () => {
    const report = organizationAssessment();
    const rows = parseStrict(render(report, 'csv'));
    assert.equal(rows.length, report.findings.length);
    for (const [row, finding] of rows.map((r, i) => [r, report.findings[i]] as const)) {
      assert.equal(row.account_id, finding?.account);
      assert.match(row.finding_id ?? '', new RegExp(`^trailcheck/${finding?.account}/`));
    }
  });

  it('the strict parser rejects a broken row', () => {
    const text = render(seedAssessment(), 'csv').replace(/\r\n$/, '\r\n"only","three","fields"\r\n');
    assert.throws(() => parseStrict(text), /Invalid Record Length/);
  });
});

describe('JUnit XML with junitparser', () => {
  let python = '';
  before(() => {
    python = ensureValidators();
  });
  interface Parsed {
    tests: number;
    failures: number;
    errors: number;
    skipped: number;
    suites: Array<{
      name: string;
      cases: Array<{ classname: string; name: string; results: Array<{ kind: string; message: string }> }>;
    }>;
  }
  const parseJunit = (text: string) => JSON.parse(runValidator(python, 'junit.py', text)) as Parsed;

  it('the seed report: a suite per control, a test case per finding, failures for the two gaps', async () => {
    const parsed = parseJunit(await seedOutput('junit'));
    assert.deepEqual([parsed.tests, parsed.failures, parsed.errors, parsed.skipped], [4, 2, 0, 0]);
    assert.equal(parsed.suites.length, 4);
    const validation = parsed.suites.find((s) => s.name.startsWith('CloudTrail.4'));
    assert.equal(validation?.cases[0]?.name, 'MooncloudCisTest (us-east-1)');
    assert.equal(validation?.cases[0]?.results[0]?.kind, 'failure');
    assert.match(validation?.cases[0]?.results[0]?.message ?? '', /log file validation disabled/);
  });

  it('hostile names come back exactly; unknowns are errors and suppressed findings skipped', () => {
    const mixed = parseJunit(render(mixedAssessment(), 'junit'));
    const names = mixed.suites.flatMap((s) => s.cases.map((c) => c.name));
    assert.ok(names.includes(`${HOSTILE_NAME} (us-east-1)`), names.join(', '));
    assert.ok(mixed.errors > 0);
    const suppressed = parseJunit(render(suppressedSeedAssessment(), 'junit'));
    assert.deepEqual([suppressed.failures, suppressed.skipped], [1, 1]);
  });

  it('an organization: every test case names its account, the counts add up over the accounts', () => {
    const report = organizationAssessment();
    const parsed = parseJunit(render(report, 'junit'));
    assert.equal(parsed.tests, report.findings.length);
    const names = parsed.suites.flatMap((s) => s.cases.map((c) => c.name));
    assert.ok(
      names.every((n) => /, account \d{12}\)$/.test(n)),
      names.join(', '),
    );
  });

  it('junitparser rejects a document that is not well-formed', () => {
    const broken = render(seedAssessment(), 'junit').replace('</testsuites>', '');
    assert.throws(() => parseJunit(broken));
  });
});
