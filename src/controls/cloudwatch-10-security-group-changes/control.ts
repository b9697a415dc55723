import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.10',
  frameworks: listedAs({ securityhub: 'CloudWatch.10', cis12: '3.10', cis14: '4.10', cis3: '4.10' }),
  title: 'Ensure a log metric filter and alarm exist for security group changes',
  texts,
});
