// A credential (bearer token or AWS keys) cached until shortly before it expires, refreshed ahead of time, one fetch at a time.

export interface Fetched<C> {
  credential: C;
  /** Epoch ms after which the provider rejects it; Infinity for credentials that do not expire. */
  expiresAt: number;
  /** Epoch ms from which to fetch a new one in the background (the issuer's hint); default from expiresAt. */
  refreshAt?: number;
}

/** Gets a fresh credential. `forced`: the last one was rejected, so no library cache may answer. */
export type Fetcher<C> = (signal: AbortSignal, forced: boolean) => Promise<Fetched<C>>;

/** Why credentials could not be had, in attempt terms. */
export class AuthFailure extends Error {
  override readonly name = 'AuthFailure';

  constructor(
    /** misconfigured: no credentials or rejected ones (a person must act); auth_error: the issuer is unreachable or slow. */
    readonly outcome: 'misconfigured' | 'auth_error',
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CacheOptions<C> {
  now: () => number;
  /** Bound on one fetch, whoever waits for it. */
  fetchTimeoutMs: number;
  /** Called once per failed background refresh (the next attempt retries in the foreground). */
  onBackgroundError?: (err: unknown) => void;
  /** Turns a library error into an AuthFailure. */
  classify: (err: unknown) => AuthFailure;
  /** Whether two credentials are the same one (default: identity). */
  same?: (a: C, b: C) => boolean;
}

/** Refresh this long before expiry (or half the lifetime of a short-lived credential). */
const refreshMarginMs = 5 * 60_000;
/** Never send a credential this close to its expiry: the request might arrive after it. */
const safetyMs = 10_000;

export class CredentialCache<C> {
  private current: { credential: C; expiresAt: number; refreshAt: number } | null = null;
  private inFlight: Promise<C> | null = null;
  private forceNext = false;
  /** The credential the provider last rejected: a source that hands it back again has nothing better. */
  private rejected: C | undefined;

  constructor(
    private readonly fetcher: Fetcher<C>,
    private readonly options: CacheOptions<C>,
  ) {}

  /**
   * The cached credential if it is still good: synchronous, so a fresh credential costs no await. Past its
   * refresh time it is still returned while a new one is fetched in the background.
   */
  peek(): C | undefined {
    const c = this.current;
    if (c === null) return undefined;
    const now = this.options.now();
    if (now >= c.expiresAt - safetyMs) return undefined;
    if (now >= c.refreshAt && this.inFlight === null) {
      this.fetch().catch((err: unknown) => this.options.onBackgroundError?.(err));
    }
    return c.credential;
  }

  /** The cached credential, or one fetched now; rejects with an AuthFailure after `timeoutMs` at most. */
  get(timeoutMs: number): Promise<C> {
    const cached = this.peek();
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.inFlight ?? this.fetch();
    return new Promise<C>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AuthFailure('auth_error', 'timeout', `no credentials within ${Math.round(timeoutMs)} ms`)),
        timeoutMs,
      );
      pending.then(
        (credential) => {
          clearTimeout(timer);
          resolve(credential);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  /** The provider rejected this credential: drop it (unless a newer one already replaced it); the next fetch bypasses caches. */
  invalidate(credential: C): void {
    if (this.current?.credential !== credential) return;
    this.current = null;
    this.forceNext = true;
    this.rejected = credential;
  }

  private fetch(): Promise<C> {
    const forced = this.forceNext;
    this.forceNext = false;
    const run = this.fetchOnce(forced);
    this.inFlight = run;
    const clear = () => {
      if (this.inFlight === run) this.inFlight = null;
    };
    run.then(clear, clear);
    return run;
  }

  private async fetchOnce(forced: boolean): Promise<C> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('credential fetch timed out')), this.options.fetchTimeoutMs);
    // A fetch nobody waits for any more (a background refresh) must not keep the process alive.
    timer.unref();
    try {
      // Not every library honours the signal: the race bounds the wait even when the fetch itself carries on.
      const fetched = await untilAborted(this.fetcher(controller.signal, forced), controller.signal);
      const rejected = this.rejected;
      this.rejected = undefined;
      // Some sources cache below us (MSAL's managed identity cache, static keys): the same credential again
      // would only be rejected again, after one more disclosure.
      if (forced && rejected !== undefined && (this.options.same ?? Object.is)(fetched.credential, rejected)) {
        throw new AuthFailure(
          'misconfigured',
          'credential_rejected',
          'the provider rejected the credential and its source returned the same one again',
        );
      }
      const now = this.options.now();
      const lifetime = fetched.expiresAt - now;
      const refreshAt = fetched.refreshAt ?? fetched.expiresAt - Math.min(refreshMarginMs, lifetime / 2);
      this.current = { credential: fetched.credential, expiresAt: fetched.expiresAt, refreshAt };
      return fetched.credential;
    } catch (err) {
      if (controller.signal.aborted)
        throw new AuthFailure('auth_error', 'timeout', `credential fetch took longer than ${this.options.fetchTimeoutMs} ms`);
      throw err instanceof AuthFailure ? err : this.options.classify(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
