import { missingFact, observationEvidence, trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, nameList, rich } from '../../core/rich.js';
import { awsCli, shellQuote } from '../../fixes/shell.js';
import { accountOfArn } from '../../core/arn.js';
import { makeFinding, trailResource, unknownTrailFinding, unlistedRegionsFinding } from '../shared.js';
import { optionValue } from '../options.js';
import type { ControlDefinition } from '../types.js';
import { requiredTagKeys } from './options.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

/** Tags AWS itself sets (aws:cloudformation:stack-name…) say nothing about ownership. */
const isSystemTag = (key: string) => key.toLowerCase().startsWith('aws:');

export const control: ControlDefinition = {
  id: 'CloudTrail.9',
  frameworks: listedAs({ securityhub: 'CloudTrail.9' }),
  title: 'CloudTrail trails should be tagged',
  severity: 'low',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [
    { kind: 'cloudtrail.trails' },
    { kind: 'cloudtrail.tags', trails: (t, account) => accountOfArn(t.TrailARN) === account },
  ],
  texts,
  options: [requiredTagKeys],
  evaluate(view) {
    const required = optionValue(view, requiredTagKeys);
    const findings = view.ownedTrails.map((trail) => {
      const { Name, HomeRegion, TrailARN } = trail.config;
      const resource = trailResource(trail);
      const evidence = [trailConfigEvidence(trail, ['HomeRegion'])];
      if (trail.tags) evidence.push(observationEvidence(trail.tags, (t) => ({ TagsList: t.TagsList })));
      const missing = missingFact(trail.tags, 'cloudtrail:ListTags');
      if (missing || !trail.tags?.ok) {
        return unknownTrailFinding(control, trail, 'tags', missing ? [missing] : [], evidence);
      }
      const keys = trail.tags.value.TagsList.map((t) => t.Key).filter((k) => !isSystemTag(k));
      const absent = required.filter((k) => !keys.includes(k));
      if (keys.length > 0 && absent.length === 0) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`Trail ${code(Name)} is tagged (${nameList(keys)}).`,
          evidence,
        });
      }
      const toAdd = absent.length > 0 ? absent : ['Owner'];
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message:
          keys.length > 0
            ? rich`Trail ${code(Name)} lacks the required tag ${nameList(absent)}.`
            : trail.tags.value.TagsList.length > 0
              ? rich`Trail ${code(Name)} has only AWS system tags (aws:…), so nothing records who owns it or what it is for.`
              : rich`Trail ${code(Name)} has no tags, so nothing records who owns it or what it is for.`,
        evidence,
        remediation: {
          summary: rich`Tag trail ${code(Name)} with ${nameList(toAdd)}.`,
          cli: [
            awsCli('cloudtrail', 'add-tags', {
              region: HomeRegion,
              'resource-id': TrailARN,
              // One shell word per tag: the CLI takes them as separate values.
              'tags-list': {
                raw: toAdd.map((k) => shellQuote(`Key=${k},Value=<${k.toLowerCase()}>`)).join(' '),
              },
            }),
          ],
          console: [
            `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}; under Tags choose Edit and add ${toAdd.join(', ')}.`,
          ],
        },
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'the tags')];
  },
};
