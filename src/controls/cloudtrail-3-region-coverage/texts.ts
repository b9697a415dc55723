import { countWord, nameList, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import type { ControlOutcome, ControlTexts } from '../types.js';

function regionsWith(outcome: ControlOutcome, status: string): string[] {
  return outcome.findings.filter((f) => f.status === status).map((f) => f.resource.region);
}

export const texts: ControlTexts = {
  name: 'A logging trail in every Region',
  topic: 'a logging trail in every Region',
  checks:
    'In each scanned Region, at least one trail is logging (GetTrailStatus IsLogging) and either is multi-Region or has that Region as its home. Organization trails count. One finding per Region, as Security Hub evaluates it per Region.',
  whatItDoes:
    'A trail that is switched on records the API activity of a Region: who did what, when, from where.',
  whyItMatters:
    'A Region with no logging trail is a blind spot: anything done there – a forgotten instance, an attacker’s foothold – leaves no record.',
  whyFix: 'Closes blind spots in Regions nobody watches',
  action: 'make sure a logging trail covers every Region',
  howToFix:
    'The simplest cover for every Region is one multi-Region trail that is logging: create one in the CloudTrail console (console trails are multi-Region), or turn an existing trail into one with aws cloudtrail update-trail --name <trail> --is-multi-region-trail, and start it with aws cloudtrail start-logging --name <trail>.',
  meaning: (outcome): RichText => {
    const failed = regionsWith(outcome, 'FAIL');
    const unknown = regionsWith(outcome, 'UNKNOWN');
    const passed = regionsWith(outcome, 'PASS');
    if (outcome.findings.length === 0) return rich`No Region was scanned.`;
    const parts: RichText[] = [];
    if (failed.length > 0) parts.push(rich`No logging trail covers ${nameList(failed)}.`);
    if (unknown.length > 0) parts.push(rich`Coverage could not be confirmed in ${nameList(unknown)}.`);
    if (parts.length === 0) {
      return passed.length === 1
        ? rich`A logging trail covers ${nameList(passed)}.`
        : rich`A logging trail covers all ${countWord(passed.length)} scanned Regions.`;
    }
    return parts.flatMap((p, i) => (i === 0 ? p : [' ', ...p]));
  },
};
