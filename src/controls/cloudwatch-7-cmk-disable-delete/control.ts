import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.7',
  frameworks: listedAs({ securityhub: 'CloudWatch.7', cis12: '3.7', cis14: '4.7', cis3: '4.7' }),
  title:
    'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
  texts,
});
