import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'CloudWatch.8',
  frameworks: listedAs({ securityhub: 'CloudWatch.8', cis12: '3.8', cis14: '4.8', cis3: '4.8' }),
  title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
  texts,
});
