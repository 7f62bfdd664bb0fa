/**
 * Runs `read` (configuration loading, subscription building), turning a failure into a
 * reported problem and undefined, so one bad setting yields findings rather than a crash.
 */
export function guardedRead<T>(read: () => T, report: (message: string) => void): T | undefined {
  try {
    return read();
  } catch (error) {
    report(`cannot read the service's configuration: ${(error as Error).message}`);
    return undefined;
  }
}
