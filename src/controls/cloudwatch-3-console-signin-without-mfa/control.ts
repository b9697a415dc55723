import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.3',
  title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
  texts,
});
