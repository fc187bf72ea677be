/** Exit status 2: the user's invocation or configuration is wrong, and the message says how. */
export class ConfigError extends Error {}
