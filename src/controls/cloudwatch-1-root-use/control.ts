import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.1',
  title: 'A log metric filter and alarm should exist for usage of the "root" user',
  texts,
});
