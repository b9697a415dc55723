import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'CloudTrail Insights',
  topic: 'CloudTrail Insights',
  checks:
    'Each trail the account owns has CloudTrail Insights on (GetInsightSelectors returns ApiCallRateInsight or ApiErrorRateInsight; InsightNotEnabledException means off). One finding per trail; the finding says which Insights type is still off.',
  whatItDoes:
    'Insights learns the normal rate of write API calls and of API errors, and records an event when activity suddenly departs from it.',
  whyItMatters:
    'A burst of unusual calls – a script creating resources, a run of AccessDenied errors from a stolen key – stands out in Insights long before anyone reads the raw logs.',
  whyFix: 'Flags unusual bursts of activity or errors automatically',
  action: 'turn on CloudTrail Insights',
  howToFix:
    'aws cloudtrail put-insight-selectors --trail-name <trail> --insight-selectors \'[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]\' (console: Trails, the trail, Insights events, Edit). Insights events are charged per 100,000 events analysed.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} flags unusual activity with CloudTrail Insights.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) flag unusual activity with CloudTrail Insights.`,
      someFail: (failed) =>
        rich`${nameList(failed)} ${failed.length === 1 ? 'has' : 'have'} CloudTrail Insights off.`,
      unknown: (names) => rich`Insights settings could not be read for ${nameList(names)}.`,
    }),
};
