import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.11',
  frameworks: listedAs({ securityhub: 'CloudWatch.11', cis12: '3.11', cis14: '4.11', cis3: '4.11' }),
  title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
  texts,
});
