import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'CloudWatch.8',
  title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
  texts,
});
