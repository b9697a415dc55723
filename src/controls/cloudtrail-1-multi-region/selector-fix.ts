import { fieldAccepts } from '../../evaluate/selectors.js';
import type { AdvancedEventSelector, BasicEventSelector, EventSelectors } from '../../snapshot/schema.js';

export interface SelectorFix {
  flag: 'event-selectors' | 'advanced-event-selectors';
  selectors: BasicEventSelector[] | AdvancedEventSelector[];
}

/** Does an advanced selector select data (or other non-management) events only? */
function isNonManagementSelector(selector: AdvancedEventSelector): boolean {
  const category = selector.FieldSelectors.find((f) => f.Field === 'eventCategory');
  return category !== undefined && !fieldAccepts(category, 'Management');
}

/**
 * The selectors to put so the trail records every read and write management event, while keeping every
 * data-event selector it has: PutEventSelectors replaces the whole set, and a fix must never drop what a
 * user chose to record.
 */
export function selectorsRecordingAllManagementEvents(current: EventSelectors | undefined): SelectorFix {
  const advanced = current?.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return {
      flag: 'advanced-event-selectors',
      selectors: [
        {
          Name: 'All management events',
          FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
        },
        ...advanced.filter(isNonManagementSelector),
      ],
    };
  }
  const dataSelectors = (current?.EventSelectors ?? [])
    .filter((s) => (s.DataResources ?? []).length > 0)
    .map(({ ExcludeManagementEventSources: _excluded, ...rest }) => ({
      ...rest,
      IncludeManagementEvents: false,
    }));
  return {
    flag: 'event-selectors',
    selectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }, ...dataSelectors],
  };
}
