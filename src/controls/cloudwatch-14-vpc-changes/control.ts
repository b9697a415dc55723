import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.14',
  frameworks: listedAs({ securityhub: 'CloudWatch.14', cis12: '3.14', cis14: '4.14', cis3: '4.14' }),
  title: 'Ensure a log metric filter and alarm exist for VPC changes',
  texts,
});
