import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Trail tags',
  topic: 'tagged trails',
  checks:
    'Every trail the account owns has tags (ListTags in its home Region): at least one tag that is not a system tag (aws:…), and, when required keys are given with --required-tags, every one of them. One finding per trail.',
  whatItDoes: 'Tags record who owns a trail, what it is for and who pays for it, in a form tools can read.',
  whyItMatters:
    'An untagged trail is an orphan: when it breaks or costs money, nobody knows who to ask, and automated guardrails that select resources by tag pass it by.',
  whyFix: 'Makes ownership and purpose visible to people and tools',
  action: 'tag the trails',
  howToFix:
    'Add tags in the trail’s home Region: aws cloudtrail add-tags --resource-id <trail-arn> --tags-list Key=Owner,Value=<team> (the console: Trails, the trail, Tags, Edit).',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} is tagged.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) are tagged.`,
      someFail: (failed) =>
        rich`${nameList(failed)} ${failed.length === 1 ? 'lacks' : 'lack'} the tags that say who owns ${failed.length === 1 ? 'it' : 'them'}.`,
      unknown: (names) => rich`Tags could not be read for ${nameList(names)}.`,
    }),
};
