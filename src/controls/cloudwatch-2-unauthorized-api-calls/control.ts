import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.2',
  frameworks: listedAs({ securityhub: 'CloudWatch.2', cis12: '3.1', cis14: '4.1', cis3: '4.1' }),
  title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
  texts,
});
