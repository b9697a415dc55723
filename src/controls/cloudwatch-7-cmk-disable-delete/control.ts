import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.7',
  title:
    'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
  texts,
});
