import { positiveInteger } from '../options.js';
import type { ControlOption } from '../options.js';

/** --max-delivery-age H: how old a trail's last delivery may be, in hours; a year at most. */
export const maximumDeliveryAgeHours: ControlOption<number> = {
  key: 'maximumDeliveryAgeHours',
  flag: 'max-delivery-age',
  placeholder: 'H',
  help: ["hours since a trail's last delivery before it counts as stale", '(TC.DeliveryHealth; default 24)'],
  kind: 'number',
  default: 24,
  parse: positiveInteger('max-delivery-age', 8_760),
};

declare module '../options.js' {
  interface ControlOptionFlags {
    'max-delivery-age': true;
  }
}
