import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.13',
  frameworks: listedAs({ securityhub: 'CloudWatch.13', cis12: '3.13', cis14: '4.13', cis3: '4.13' }),
  title: 'Ensure a log metric filter and alarm exist for route table changes',
  texts,
});
