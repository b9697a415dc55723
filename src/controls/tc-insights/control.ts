import { accountOfArn } from '../../core/arn.js';
import { missingFact, observationEvidence, trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, nameList, rich } from '../../core/rich.js';
import { INSIGHTS_COST } from '../../fixes/costs.js';
import { awsCli } from '../../fixes/shell.js';
import { makeFinding, trailResource, unknownTrailFinding, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition } from '../types.js';
import { texts } from './texts.js';

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'];

export const control: ControlDefinition = {
  id: 'TC.Insights',
  title: 'CloudTrail Insights should be enabled on trails',
  severity: 'low',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [
    { kind: 'cloudtrail.trails' },
    { kind: 'cloudtrail.insightSelectors', trails: (t, account) => accountOfArn(t.TrailARN) === account },
  ],
  texts,
  evaluate(view) {
    const findings = view.ownedTrails.map((trail) => {
      const { Name, HomeRegion } = trail.config;
      const resource = trailResource(trail);
      const evidence = [trailConfigEvidence(trail, ['HomeRegion'])];
      if (trail.insightSelectors)
        evidence.push(observationEvidence(trail.insightSelectors, (i) => ({ ...i })));
      const missing = missingFact(trail.insightSelectors, 'cloudtrail:GetInsightSelectors');
      if (missing || !trail.insightSelectors?.ok) {
        return unknownTrailFinding(control, trail, 'Insights settings', missing ? [missing] : [], evidence);
      }
      const enabled = [
        ...new Set(trail.insightSelectors.value.InsightSelectors.map((i) => i.InsightType ?? '')),
      ].filter((t) => INSIGHT_TYPES.includes(t));
      const off = INSIGHT_TYPES.filter((t) => !enabled.includes(t));
      if (enabled.length > 0) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message:
            off.length === 0
              ? rich`Trail ${code(Name)} has CloudTrail Insights on for both API call rates and API error rates.`
              : rich`Trail ${code(Name)} has CloudTrail Insights on for ${nameList(enabled)}; ${nameList(off)} is still off.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Trail ${code(Name)} has CloudTrail Insights off, so unusual bursts of API calls or errors go unflagged.`,
        evidence,
        remediation: {
          summary: rich`Turn on CloudTrail Insights for API call rates and API error rates on ${code(Name)} (${INSIGHTS_COST}).`,
          cli: [
            awsCli('cloudtrail', 'put-insight-selectors', {
              region: HomeRegion,
              'trail-name': Name,
              'insight-selectors': JSON.stringify(INSIGHT_TYPES.map((InsightType) => ({ InsightType }))),
            }),
          ],
          console: [
            `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}; under Insights events choose Edit, select both types and save.`,
          ],
        },
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'Insights')];
  },
};
