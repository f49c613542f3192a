// Slack's Block Kit limits are checked in src/sandbox/slack, shared by the sandbox and the tests.
// This path keeps working for tests written against it.
export * from '../../src/sandbox/slack/block-limits';
