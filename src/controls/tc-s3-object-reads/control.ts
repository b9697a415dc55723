import { s3ObjectEventsControl } from '../s3-object-events.js';
import { texts } from './texts.js';

export const control = s3ObjectEventsControl(
  'read',
  {
    id: 'TC.S3ObjectReads',
    title: 'Ensure that object-level logging for read events is enabled for S3 buckets',
    severity: 'medium',
  },
  texts,
);
