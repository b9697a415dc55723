import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.12',
  frameworks: listedAs({ securityhub: 'CloudWatch.12', cis12: '3.12', cis14: '4.12', cis3: '4.12' }),
  title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
  texts,
});
