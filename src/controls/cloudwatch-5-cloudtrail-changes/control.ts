import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.5',
  frameworks: listedAs({ securityhub: 'CloudWatch.5', cis12: '3.5', cis14: '4.5', cis3: '4.5' }),
  title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
  texts,
});
