import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.4',
  frameworks: listedAs({ securityhub: 'CloudWatch.4', cis12: '3.4', cis14: '4.4', cis3: '4.4' }),
  title: 'Ensure a log metric filter and alarm exist for IAM policy changes',
  texts,
});
