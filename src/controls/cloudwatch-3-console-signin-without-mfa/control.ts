import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.3',
  frameworks: listedAs({ securityhub: 'CloudWatch.3', cis12: '3.2', cis14: '4.2', cis3: '4.2' }),
  title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
  texts,
});
