import { code, rich } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import type { FixProposal } from '../types.js';

/** CloudTrail.4's fix: log file validation on, in the trail's home Region. */
export function enableLogFileValidation(trail: TrailRecord): FixProposal {
  const { Name, HomeRegion } = trail.config;
  return {
    summary: rich`Enable “Log file integrity validation” on ${code(Name)}.`,
    calls: [apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, EnableLogFileValidation: true })],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In General details, choose Edit.',
      'Under Additional settings, set Log file validation to Enabled, then choose Save changes.',
    ],
  };
}
