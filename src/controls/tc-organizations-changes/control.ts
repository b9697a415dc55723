import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control = monitoringControl({
  id: 'TC.OrganizationsChanges',
  frameworks: listedAs({ cis14: '4.15', cis3: '4.15' }),
  title: 'Ensure AWS Organizations changes are monitored',
  texts,
});
