import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.10',
  title: 'Ensure a log metric filter and alarm exist for security group changes',
  texts,
});
