/** Retry delay after the n-th failed attempt: exponential from 10 s, capped at one hour, no jitter (deterministic). */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
}

export type JobOutcome = { status: 'done' } | { status: 'retry'; runInSeconds: number } | { status: 'failed' };

/** What happens to a job after an attempt: done, retried later, or given up after max attempts. */
export function afterAttempt(attempts: number, maxAttempts: number, succeeded: boolean): JobOutcome {
  if (succeeded) return { status: 'done' };
  if (attempts >= maxAttempts) return { status: 'failed' };
  return { status: 'retry', runInSeconds: backoffSeconds(attempts) };
}
