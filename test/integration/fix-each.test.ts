/**
 * Every fix against moto, through the CLI as a user runs it: a failing account, `trailcheck fix --apply
 * --yes`, then a fresh scan passes the controls it was for, and a second `fix --apply --yes` makes no call
 * that changes anything. The scenarios are split over two files so the suite runs them two at a time.
 */
import { runFixScenarios } from '../support/fix-scenarios.js';

runFixScenarios(0);
