import { monitoringTexts } from '../monitoring-chain.js';

export const texts = monitoringTexts({
  name: 'KMS key disable or delete alarm',
  topic: 'disabling or scheduled deletion of customer managed keys',
  events: 'DisableKey and ScheduleKeyDeletion from kms.amazonaws.com',
  whyItMatters:
    'Data encrypted with a deleted key is lost for good; disabling or scheduling deletion of a key is also how ransomware takes data hostage.',
  whyFix: 'A key is saved during its deletion waiting period',
});
