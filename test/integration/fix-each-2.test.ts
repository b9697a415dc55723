/** The second half of the fix scenarios (see fix-each.test.ts). */
import { runFixScenarios } from '../support/fix-scenarios.js';

runFixScenarios(1);
