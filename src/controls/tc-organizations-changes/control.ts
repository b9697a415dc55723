import { monitoringControl } from '../monitoring-chain.js';
import { texts } from './texts.js';

export const control = monitoringControl({
  id: 'TC.OrganizationsChanges',
  title: 'Ensure AWS Organizations changes are monitored',
  texts,
});
