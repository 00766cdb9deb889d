// A summary's one deadline as an abort signal: fires at the deadline or when the caller's own signal does.

export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor() {
    super('the summary deadline passed');
  }
}

export interface DeadlineSignal {
  signal: AbortSignal;
  /** Clears the timer and the link to the caller's signal; call when the work is done. */
  dispose(): void;
}

/**
 * Our own timer, held by this object until dispose(): on Node 20.20 a signal made by
 * AbortSignal.any([..., AbortSignal.timeout(ms)]) can fail to fire once the timeout signal has been collected.
 */
export function deadlineSignal(deadlineAt: number, caller?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(caller?.reason);
  const timer = setTimeout(() => controller.abort(new DeadlineError()), Math.max(0, deadlineAt - Date.now()));
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
