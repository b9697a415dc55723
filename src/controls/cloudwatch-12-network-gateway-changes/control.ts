import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.12',
  title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
  texts,
});
