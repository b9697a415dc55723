/** trailcheck as a library: collect evidence, assess it, render the result. */
export { collect } from './collect/index.js';
export type { CollectOptions } from './collect/index.js';
export { assess, integerResult } from './evaluate/assess.js';
export type { Assessment, ControlResult } from './evaluate/assess.js';
export { CONTROLS, findControl, selectControls } from './controls/index.js';
export type { ControlDefinition, Finding, Status, Severity } from './controls/types.js';
export { render, FORMATS } from './report/index.js';
export type { Format } from './report/index.js';
export { toJsonReport, JsonReportSchema } from './report/json.js';
export type { JsonReport } from './report/json.js';
export { parseSnapshot, readSnapshotFile, serializeSnapshot } from './snapshot/io.js';
export type { Snapshot } from './snapshot/schema.js';
export { AwsClientFactory } from './aws/clients.js';
export type { AwsAccessOptions } from './aws/clients.js';
