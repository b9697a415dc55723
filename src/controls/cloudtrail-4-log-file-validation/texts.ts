import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Log file validation',
  topic: 'log file validation',
  checks:
    'Every trail the account owns has log file integrity validation turned on (LogFileValidationEnabled is true in DescribeTrails). One finding per trail, assessed in its home Region.',
  whatItDoes:
    'CloudTrail writes a signed digest file every hour, so you can later prove that no log file was changed or deleted after it was delivered.',
  whyItMatters:
    'If logs can be altered without a trace, an attacker can erase their tracks and you could miss a security event, or be unable to prove what happened.',
  whyFix: 'Detects tampering and preserves the audit chain',
  action: 'enable log file validation',
  howToFix:
    "Turn on log file integrity validation for each trail. In the console: Trails, the trail, Edit, Additional settings, Log file validation, Enabled. From the CLI: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation'. Check the digests later with 'aws cloudtrail validate-logs --trail-arn <arn> --start-time <time>'.",
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} signs its log files, so any tampering can be detected.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) sign their log files, so tampering can be detected.`,
      someFail: (failed, passed) =>
        passed.length === 0
          ? failed.length === 1
            ? rich`Trail ${code(failed[0] as string)} isn’t configured to check that its log files haven’t been tampered with.`
            : rich`No trail is configured to check that its log files haven’t been tampered with (${nameList(failed)}).`
          : rich`${nameList(failed)} ${failed.length === 1 ? 'doesn’t' : 'don’t'} check that log files haven’t been tampered with; ${nameList(passed)} ${passed.length === 1 ? 'does' : 'do'}.`,
      unknown: (names) => rich`Validation could not be read for ${nameList(names)}.`,
    }),
};
