import { listedAs } from '../../frameworks/index.js';
import { s3ObjectEventsControl } from '../s3-object-events.js';
import { texts } from './texts.js';

export const control = s3ObjectEventsControl(
  'read',
  {
    id: 'TC.S3ObjectReads',
    frameworks: listedAs({ securityhub: 'S3.23', cis14: '3.11', cis3: '3.9' }),
    title: 'Ensure that object-level logging for read events is enabled for S3 buckets',
    severity: 'medium',
  },
  texts,
);
