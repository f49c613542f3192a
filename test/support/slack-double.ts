// The Slack stand-in lives in src/sandbox/slack, where the sandbox serves it to people and the
// tests use it: one implementation. This path keeps working for tests written against it.
export * from '../../src/sandbox/slack/slack-double';
