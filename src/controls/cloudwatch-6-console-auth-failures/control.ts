import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.6',
  frameworks: listedAs({ securityhub: 'CloudWatch.6', cis12: '3.6', cis14: '4.6', cis3: '4.6' }),
  title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
  texts,
});
