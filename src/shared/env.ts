/** The process environment as the code reads it: passed in (never `process.env` below src/cli/), so tests pass plain objects. */
export type Env = Readonly<Record<string, string | undefined>>;
