/**
 * The running stack's coordinates, as `bash scripts/platform.sh env` exports them. The integration
 * tier never guesses them: a missing variable fails the run with the way to set it.
 */
export function stackVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The integration tier runs against the native stack: start it ` +
        `(bash scripts/platform.sh start), then eval "$(bash scripts/platform.sh env)" ` +
        `before running it ('npm test' does both).`,
    );
  }
  return value;
}

/** Turns a refused or timed-out connection into an error that says which dependency is down. */
export function unreachable(dependency: string, address: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `integration tier: ${dependency} at ${address} is not reachable (${reason}). ` +
      `Is the stack running? bash scripts/platform.sh status`,
    { cause },
  );
}
