// State of one complete() call: its deadline and caller abort, its lanes of attempts, and each attempt's abort signal.
import type { ProviderFailure } from './errors';
import { AttemptSignal } from './signal';
import type { AttemptOutcome, ChatRequest, CompleteOptions } from './types';
import type { Upstream } from './upstream';

/** One attempt's HTTP request while it is in flight: its abort signal, why it was aborted, and its timer. */
export class InFlight extends AttemptSignal {
  /** Why we aborted, in outcome terms; null while not aborted. */
  abortedAs: AttemptOutcome | null = null;
  timer: NodeJS.Timeout | undefined;
  /** True when the timer is the call's deadline rather than the attempt timeout. */
  byDeadline = false;

  cancel(outcome: AttemptOutcome): void {
    if (this.aborted) return;
    this.abortedAs = outcome;
    const error = new Error(`LLM attempt aborted (${outcome})`);
    error.name = 'AbortError';
    this.abort(error);
  }
}

export function onAttemptTimeout(flight: InFlight): void {
  flight.cancel('timeout');
}

/** A run of attempts (with retries) at one provider. Hedging runs two lanes at once. */
export class Lane {
  cancelled: AttemptOutcome | null = null;
  current: InFlight | null = null;
  private wake: (() => void) | null = null;
  body: Buffer | null = null;
  sha256 = '';
  /** A rejected credential was replaced once already in this lane (the retry that follows is not a backoff retry). */
  refreshedCredential = false;

  constructor(
    readonly upstream: Upstream,
    readonly hedge: boolean,
  ) {}

  /** Stops the lane: aborts its in-flight request at once and cuts short a backoff wait. */
  interrupt(reason: AttemptOutcome): void {
    this.cancelled ??= reason;
    this.current?.cancel(reason);
    this.wake?.();
  }

  /** A backoff wait that interrupt() ends early. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** State of one complete() call. */
export class Call {
  readonly deadlineAt: number;
  /** Next index into the provider order. */
  next = 0;
  attempts = 0;
  readonly failures: ProviderFailure[] = [];
  readonly lanes: Lane[] = [];
  stopped: 'aborted' | 'deadline' | 'not_retryable' | 'refused' | null = null;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    readonly request: ChatRequest,
    readonly options: CompleteOptions,
    deadlineMs: number,
  ) {
    const now = performance.now();
    // The caller's absolute deadline (Date.now clock) on the monotonic clock, when it is the earlier one.
    const callerMs = options.deadlineAt === undefined ? Infinity : options.deadlineAt - Date.now();
    this.deadlineAt = now + Math.min(deadlineMs, callerMs);
    const signal = options.signal;
    if (signal) {
      this.onAbort = () => {
        this.stopped = 'aborted';
        for (const lane of this.lanes) lane.interrupt('aborted');
      };
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  remaining(): number {
    return this.deadlineAt - performance.now();
  }

  lane(upstream: Upstream, hedge: boolean): Lane {
    const lane = new Lane(upstream, hedge);
    this.lanes.push(lane);
    return lane;
  }

  dispose(): void {
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}
