export const TOOL_NAME = 'trailcheck';
// Kept in step with package.json by a unit test (version.test.ts).
export const TOOL_VERSION = '0.1.0';
