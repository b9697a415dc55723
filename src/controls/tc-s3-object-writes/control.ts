import { listedAs } from '../../frameworks/index.js';
import { s3ObjectEventsControl } from '../s3-object-events.js';
import { texts } from './texts.js';

export const control = s3ObjectEventsControl(
  'write',
  {
    id: 'TC.S3ObjectWrites',
    frameworks: listedAs({ securityhub: 'S3.22', cis14: '3.10', cis3: '3.8' }),
    title: 'Ensure that object-level logging for write events is enabled for S3 buckets',
    severity: 'medium',
  },
  texts,
);
