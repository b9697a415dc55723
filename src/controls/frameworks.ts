/**
 * The framework tables, gathered from the controls' own declarations: `--framework`, the reports'
 * mappings and `controls` read them here.
 */
import { findIn, frameworkTables, mappingsIn } from '../frameworks/index.js';
import type { Framework, FrameworkMapping } from '../frameworks/index.js';
import { CONTROLS } from './index.js';

export const FRAMEWORKS: readonly Framework[] = frameworkTables(CONTROLS);

/** Where a control appears in each framework. */
export function mappingsOf(controlId: string): FrameworkMapping[] {
  return mappingsIn(FRAMEWORKS, controlId);
}

/** "cis-3.0", "CIS-3.0.0", "cis3.0", "cis-v5.0", "securityhub" → the framework; anything else is a usage error. */
export function findFramework(name: string): Framework {
  return findIn(FRAMEWORKS, name);
}
