// Per-provider circuit breaker: consecutive failures or a failure rate open it; after a cooldown one probe decides.
import type { BreakerState } from './types';

export interface BreakerOptions {
  failureThreshold: number;
  failureRate: number;
  window: number;
  minVolume: number;
  cooldownMs: number;
}

/** What acquire() granted: nothing, an ordinary attempt, or the single half-open probe. */
export enum Permit {
  Denied = 0,
  Normal = 1,
  Probe = 2,
}

export type AttemptVerdict = 'success' | 'failure' | 'neutral';

export class CircuitBreaker {
  private stateName: 'closed' | 'open' | 'half-open' = 'closed';
  private openedAt = 0;
  private probeInFlight = false;
  private consecutiveFailures = 0;
  // Rolling window of the last `window` outcomes (1 = failure) as a ring buffer.
  private readonly outcomes: Uint8Array;
  private next = 0;
  private count = 0;
  private failures = 0;

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number,
    private readonly onTransition: (state: BreakerState) => void = () => {},
  ) {
    this.outcomes = new Uint8Array(options.window);
  }

  /** As seen from outside: an open breaker whose cooldown has passed reports half-open (the next call probes). */
  get state(): BreakerState {
    if (this.stateName === 'open' && this.cooled()) return 'half-open';
    return this.stateName;
  }

  /** Would acquire() grant an attempt now? Does not take the probe. */
  allows(): boolean {
    if (this.stateName === 'closed') return true;
    if (this.stateName === 'open' && !this.cooled()) return false;
    return !this.probeInFlight;
  }

  acquire(): Permit {
    if (this.stateName === 'closed') return Permit.Normal;
    if (this.stateName === 'open') {
      if (!this.cooled()) return Permit.Denied;
      this.transition('half-open');
    }
    if (this.probeInFlight) return Permit.Denied;
    this.probeInFlight = true;
    return Permit.Probe;
  }

  record(permit: Permit, verdict: AttemptVerdict): void {
    if (permit === Permit.Probe) {
      this.probeInFlight = false;
      if (verdict === 'success') this.close();
      else if (verdict === 'failure') this.open();
      // neutral (aborted, client error): stay half-open, the next call probes again
      return;
    }
    // Results of attempts that started before the breaker opened do not move it further.
    if (this.stateName !== 'closed' || verdict === 'neutral') return;
    const failed = verdict === 'failure' ? 1 : 0;
    this.consecutiveFailures = failed ? this.consecutiveFailures + 1 : 0;
    if (this.count === this.outcomes.length) this.failures -= this.outcomes[this.next];
    else this.count++;
    this.outcomes[this.next] = failed;
    this.failures += failed;
    this.next = (this.next + 1) % this.outcomes.length;

    const { failureThreshold, failureRate, minVolume } = this.options;
    if (this.consecutiveFailures >= failureThreshold || (this.count >= minVolume && this.failures / this.count >= failureRate)) {
      this.open();
    }
  }

  private cooled(): boolean {
    return this.now() - this.openedAt >= this.options.cooldownMs;
  }

  private open(): void {
    this.openedAt = this.now();
    this.transition('open');
  }

  private close(): void {
    this.consecutiveFailures = 0;
    this.count = this.failures = this.next = 0;
    this.transition('closed');
  }

  private transition(state: BreakerState): void {
    if (state === this.stateName) return;
    this.stateName = state;
    this.onTransition(state);
  }
}
