/**
 * Whom the monitoring checks' alarms alert, for their fixes (one declaration shared by the 15 checks):
 * `--alert-topic ARN`, an SNS topic the user has already (with its subscribers), or `--alert-email
 * ADDRESS`, for which the fix creates the topic trailcheck-cis-alarms and subscribes the address. With
 * neither, the topic is the user's step and the plan lists it with the commands to run.
 */
import { UsageError } from '../util/errors.js';
import type { ControlOption } from './options.js';

/** `arn:PARTITION:sns:REGION:ACCOUNT:NAME`. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const alertTopic: ControlOption<string | undefined> = {
  key: 'alertTopic',
  flag: 'alert-topic',
  placeholder: 'ARN',
  help: [
    'SNS topic the monitoring fixes’ alarms notify (CloudWatch.1–14, TC.OrganizationsChanges);',
    'it must be in the Region of the trail’s log group and have a confirmed subscription',
  ],
  kind: 'text',
  default: undefined,
  parse(value) {
    const arn = value.trim();
    if (!TOPIC_ARN.test(arn))
      throw new UsageError(
        `--alert-topic takes an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, not '${value}'.`,
      );
    return arn;
  },
};

export const alertEmail: ControlOption<string | undefined> = {
  key: 'alertEmail',
  flag: 'alert-email',
  placeholder: 'ADDRESS',
  help: [
    'e-mail address the monitoring fixes subscribe to a new SNS topic trailcheck-cis-alarms;',
    'its alarms alert nobody until the address confirms the subscription',
  ],
  kind: 'text',
  default: undefined,
  parse(value) {
    const address = value.trim();
    // What SNS accepts for the email protocol: one address, no spaces, a dot in the domain.
    if (!/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(address) || address.length > 254)
      throw new UsageError(
        `--alert-email takes one e-mail address such as security@example.com, not '${value}'.`,
      );
    return address;
  },
};

/** The options every monitoring check declares. */
export const MONITORING_OPTIONS: readonly ControlOption<unknown>[] = [alertTopic, alertEmail];

declare module './options.js' {
  interface ControlOptionFlags {
    'alert-topic': true;
    'alert-email': true;
  }
}
