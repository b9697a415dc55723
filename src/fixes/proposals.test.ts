/**
 * A fix does exactly what its sentence says and says what it costs: each proposal is applied to a
 * simulation of the account, and what the trail records afterwards is compared with before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS, findControl } from '../controls/index.js';
import type { ControlDefinition, Finding, FixProposal } from '../controls/types.js';
import { fieldAccepts, managementEventCoverage, s3DataEventCoverage } from '../evaluate/selectors.js';
import type { S3Access } from '../evaluate/selectors.js';
import { SnapshotView } from '../evaluate/view.js';
import { plain } from '../core/rich.js';
import type { EventSelectors, Snapshot, TrailRecord } from '../snapshot/schema.js';
import { everyFixSnapshot, noTrailSnapshot } from '../../test/support/plan-snapshots.js';
import { ok, snapshot, trail } from '../../test/support/snapshot-builder.js';
import { simulateCalls } from '../remediate/simulate.js';

const control = (id: string) => findControl(id) as ControlDefinition;

function proposalOf(id: string, snap: Snapshot): Finding & { proposal: FixProposal } {
  const finding = control(id)
    .evaluate(new SnapshotView(snap))
    .find((f) => f.status === 'FAIL' && f.proposal);
  assert.ok(finding?.proposal, `${id} proposes a fix`);
  return finding as Finding & { proposal: FixProposal };
}

function selectorsOf(snap: Snapshot, name: string): EventSelectors {
  const record = snap.cloudtrail.trails.find((t) => t.config.Name === name);
  assert.ok(record?.eventSelectors?.ok, `the selectors of ${name} are known`);
  return record.eventSelectors.value;
}

const ACCESSES: S3Access[] = ['read', 'write'];

/**
 * Every kind of data event the selectors record, one string per resource type, resource scope and access:
 * what is charged per event. Management events are left out (the first copy is free).
 */
function dataEvents(selectors: EventSelectors): Set<string> {
  const found = new Set<string>();
  for (const selector of selectors.EventSelectors ?? []) {
    const type = selector.ReadWriteType ?? 'All';
    for (const resource of selector.DataResources ?? []) {
      for (const access of ACCESSES) {
        if (type === 'All' || type === (access === 'read' ? 'ReadOnly' : 'WriteOnly'))
          found.add(`${resource.Type} ${(resource.Values ?? []).join(',')} ${access}`);
      }
    }
  }
  for (const selector of selectors.AdvancedEventSelectors ?? []) {
    const category = selector.FieldSelectors.find((f) => f.Field === 'eventCategory');
    if (category !== undefined && !fieldAccepts(category, 'Data')) continue;
    const readOnly = selector.FieldSelectors.find((f) => f.Field === 'readOnly');
    const scope = JSON.stringify(selector.FieldSelectors.filter((f) => f.Field !== 'readOnly'));
    for (const access of ACCESSES) {
      if (!readOnly || fieldAccepts(readOnly, access === 'read' ? 'true' : 'false'))
        found.add(`${scope} ${access}`);
    }
  }
  return found;
}

const added = (before: Set<string>, after: Set<string>) => [...after].filter((k) => !before.has(k));
const s3Covered = (s: EventSelectors, access: S3Access) =>
  s3DataEventCoverage(s, 'aws', access).verdict === 'covered';

const S3_ALL = { Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] };
const MGMT_ADVANCED = {
  Name: 'mgmt',
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
};
const S3_ADVANCED = (readOnly: string) => ({
  Name: `s3 readOnly=${readOnly}`,
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    { Field: 'readOnly', Equals: [readOnly] },
  ],
});

/** Trails of the shapes a selector fix must handle: basic and advanced, with and without S3 events. */
const SHAPES: Record<string, EventSelectors> = {
  'basic, management only': {
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
  },
  'basic, S3 reads recorded': {
    EventSelectors: [
      { ReadWriteType: 'All', IncludeManagementEvents: true },
      { ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [S3_ALL] },
    ],
  },
  'basic, S3 writes recorded': {
    EventSelectors: [
      { ReadWriteType: 'All', IncludeManagementEvents: true },
      { ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [S3_ALL] },
    ],
  },
  'advanced, management only': { AdvancedEventSelectors: [MGMT_ADVANCED] },
  'advanced, S3 reads recorded': { AdvancedEventSelectors: [MGMT_ADVANCED, S3_ADVANCED('true')] },
  'advanced, S3 writes recorded': { AdvancedEventSelectors: [MGMT_ADVANCED, S3_ADVANCED('false')] },
};

const withTrail = (selectors: EventSelectors, fields: Partial<TrailRecord['config']> = {}) =>
  snapshot({
    trails: [trail({ Name: 'Main', ...fields, selectors: ok(selectors, 'cloudtrail:GetEventSelectors') })],
  });

describe('the S3 object-level fixes record exactly what their sentence says', () => {
  for (const access of ACCESSES) {
    const other: S3Access = access === 'read' ? 'write' : 'read';
    const id = access === 'read' ? 'TC.S3ObjectReads' : 'TC.S3ObjectWrites';
    for (const [shape, selectors] of Object.entries(SHAPES)) {
      if (s3Covered(selectors, access)) continue;
      it(`${id} on a trail with ${shape}`, () => {
        const snap = withTrail(selectors);
        const { proposal } = proposalOf(id, snap);
        const after = selectorsOf(simulateCalls(snap, proposal.calls).snapshot, 'Main');
        assert.ok(s3Covered(after, access), `records every S3 object ${access}`);
        const otherBefore = s3Covered(selectors, other);
        assert.equal(s3Covered(after, other), otherBefore, `S3 object ${other}s: as they were`);
        const newEvents = added(dataEvents(selectors), dataEvents(after));
        assert.equal(newEvents.length, 1, `one new kind of data event: ${newEvents.join('; ')}`);
        assert.ok(newEvents[0]?.endsWith(` ${access}`), `the new data events are ${access}s only`);
        assert.deepEqual(
          managementEventCoverage(after).verdict,
          managementEventCoverage(selectors).verdict,
          'management events as they were',
        );
        const sentence = plain(proposal.summary);
        assert.match(sentence, new RegExp(`every S3 object ${access} in every bucket on Main`));
        assert.match(
          sentence,
          otherBefore
            ? new RegExp(`next to the object ${other}s it records already`)
            : new RegExp(`\\(${access}s only, not ${other}s\\)`),
        );
        assert.match(sentence, /S3 data events are charged per 100,000 events recorded/);
        assert.ok(
          (proposal.notes ?? []).some((n) =>
            new RegExp(`Charged per 100,000 data events.*every S3 object ${access} in every bucket`).test(n),
          ),
          'the cost is said before applying',
        );
      });
    }
  }

  it('applied one after the other (reads, then writes), the trail records both, each by its own selector', () => {
    const snap = withTrail(SHAPES['basic, management only']!);
    const reads = simulateCalls(snap, proposalOf('TC.S3ObjectReads', snap).proposal.calls).snapshot;
    const writes = proposalOf('TC.S3ObjectWrites', reads);
    assert.match(plain(writes.proposal.summary), /next to the object reads it records already/);
    const after = selectorsOf(simulateCalls(reads, writes.proposal.calls).snapshot, 'Main');
    assert.ok(s3Covered(after, 'read') && s3Covered(after, 'write'));
    assert.deepEqual(
      (after.EventSelectors ?? []).map((s) => s.ReadWriteType),
      ['All', 'ReadOnly', 'WriteOnly'],
    );
  });
});

describe('the CloudTrail.1 fix records management events and never adds data events', () => {
  const cases: Record<string, Snapshot> = {
    'a single-Region trail with S3 writes recorded': withTrail(SHAPES['basic, S3 writes recorded']!, {
      IsMultiRegionTrail: false,
    }),
    'a trail recording write management events only, with S3 reads': withTrail({
      EventSelectors: [
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [S3_ALL] },
      ],
    }),
    'an advanced trail whose management selector excludes KMS, with S3 writes': withTrail({
      AdvancedEventSelectors: [
        {
          Name: 'mgmt',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
          ],
        },
        S3_ADVANCED('false'),
      ],
    }),
    'a trail with no management events and no data events': withTrail({
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }],
    }),
  };
  for (const [name, snap] of Object.entries(cases)) {
    it(name, () => {
      const { proposal } = proposalOf('CloudTrail.1', snap);
      const before = selectorsOf(snap, 'Main');
      const after = selectorsOf(simulateCalls(snap, proposal.calls).snapshot, 'Main');
      assert.equal(managementEventCoverage(after).verdict, 'covered');
      assert.deepEqual(added(dataEvents(before), dataEvents(after)), [], 'no data event added');
      assert.deepEqual(dataEvents(after), dataEvents(before), 'the data events it had are kept');
      assert.doesNotMatch(plain(proposal.summary), /data event|S3 object/);
    });
  }

  it('a new trail records management events only', () => {
    const snap = noTrailSnapshot();
    const { proposal } = proposalOf('CloudTrail.1', snap);
    const after = simulateCalls(snap, proposal.calls).snapshot;
    const created = after.cloudtrail.trails.find((t) => t.config.Name === 'all-regions-audit-trail');
    assert.ok(created?.eventSelectors?.ok);
    assert.deepEqual([...dataEvents(created.eventSelectors.value)], []);
  });
});

// ---- Every proposal that creates something charged says so in its notes ------------------------------

type Charge = 'new bucket' | 'new KMS key' | 'CloudWatch Logs' | 'S3 data events' | 'second copy';

const COST_NOTE: Record<Charge, RegExp> = {
  'new bucket': /Charged per GB-month stored.*Amazon S3 pricing page/,
  'new KMS key':
    /Charged per month for the new customer managed KMS key.*per request.*Key Management Service pricing page/,
  'CloudWatch Logs': /Charged per GB.*ingests.*per GB-month.*Amazon CloudWatch pricing page/,
  'S3 data events': /Charged per 100,000 data events.*AWS CloudTrail pricing page/,
  'second copy': /Charged per 100,000 management events.*AWS CloudTrail pricing page.*second copy/,
};

function recordsManagement(record: TrailRecord): boolean {
  if (!record.status?.ok || record.status.value.IsLogging !== true) return false;
  const selectors = record.eventSelectors?.ok ? record.eventSelectors.value : {};
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0)
    return advanced.some((s) =>
      s.FieldSelectors.some((f) => f.Field === 'eventCategory' && fieldAccepts(f, 'Management')),
    );
  return (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false);
}

/** What a proposal makes that is charged, found from its calls and their effect on the simulation. */
function chargesOf(before: Snapshot, proposal: FixProposal): Charge[] {
  const charges = new Set<Charge>();
  const ops = proposal.calls.map((c) => `${c.service}:${c.operation}`);
  if (ops.includes('s3:CreateBucket')) charges.add('new bucket');
  if (ops.includes('kms:CreateKey')) charges.add('new KMS key');
  if (
    ops.includes('logs:CreateLogGroup') ||
    proposal.calls.some((c) => c.operation === 'UpdateTrail' && 'CloudWatchLogsLogGroupArn' in c.input)
  )
    charges.add('CloudWatch Logs');
  const after = simulateCalls(before, proposal.calls).snapshot;
  const recordedBefore = new Map(
    before.cloudtrail.trails.map((t) => [
      t.config.TrailARN,
      { config: t.config, management: recordsManagement(t), selectors: t.eventSelectors },
    ]),
  );
  for (const record of after.cloudtrail.trails) {
    const was = recordedBefore.get(record.config.TrailARN);
    const selectors = record.eventSelectors?.ok ? record.eventSelectors.value : undefined;
    const selectorsBefore = was?.selectors?.ok ? was.selectors.value : {};
    if (selectors && added(dataEvents(selectorsBefore), dataEvents(selectors)).length > 0)
      charges.add('S3 data events');
    const managementNow = recordsManagement(record);
    const more =
      managementNow &&
      (!was ||
        !was.management ||
        (record.config.IsMultiRegionTrail === true && was.config.IsMultiRegionTrail !== true));
    const others = before.cloudtrail.trails.some(
      (t) => t.config.TrailARN !== record.config.TrailARN && recordsManagement(t),
    );
    if (more && others) charges.add('second copy');
  }
  return [...charges];
}

/** An organization trail records write management events; the account's own trail is single-Region. */
function organizationTrailSnapshot(): Snapshot {
  return snapshot({
    trails: [
      trail({
        Name: 'org',
        owner: '999999999999',
        IsOrganizationTrail: true,
        selectors: ok(
          { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] },
          'cloudtrail:GetEventSelectors',
        ),
      }),
      trail({ Name: 'Local', IsMultiRegionTrail: false }),
    ],
  });
}

describe('every proposal that creates something charged states its cost', () => {
  const snapshots: Record<string, Snapshot> = {
    'a trail that fails every fix': everyFixSnapshot(),
    'an account with no trail': noTrailSnapshot(),
    'an organization trail next to a single-Region trail': organizationTrailSnapshot(),
    'a stopped trail next to a logging one': snapshot({
      trails: [
        trail({ Name: 'Main' }),
        trail({ Name: 'Stopped', status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') }),
      ],
    }),
  };
  const seen = new Set<Charge>();
  for (const [name, snap] of Object.entries(snapshots)) {
    it(name, () => {
      const view = new SnapshotView(snap);
      for (const finding of CONTROLS.flatMap((c) => c.evaluate(view))) {
        if (!finding.proposal) continue;
        const notes = finding.proposal.notes ?? [];
        for (const charge of chargesOf(snap, finding.proposal)) {
          seen.add(charge);
          assert.ok(
            notes.some((n) => COST_NOTE[charge].test(n)),
            `${finding.control} (${finding.resource.name}) creates ${charge} but its notes do not say what it costs: ${JSON.stringify(notes)}`,
          );
        }
      }
    });
  }
  it('the snapshots above exercise every kind of charge', () => {
    assert.deepEqual([...seen].sort(), Object.keys(COST_NOTE).sort());
  });
});
