import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.9',
  frameworks: listedAs({ securityhub: 'CloudWatch.9', cis12: '3.9', cis14: '4.9', cis3: '4.9' }),
  title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
  texts,
});
