// Requests are signed as Slack signs them by the stand-in in src/sandbox/slack, which the sandbox
// uses to send clicks and commands to the app: one implementation for both.
export * from '../../src/sandbox/slack/signing';
