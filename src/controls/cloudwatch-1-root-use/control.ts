import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.1',
  frameworks: listedAs({ securityhub: 'CloudWatch.1', cis12: '3.3', cis14: '4.3', cis3: '4.3' }),
  title: 'A log metric filter and alarm should exist for usage of the "root" user',
  texts,
});
