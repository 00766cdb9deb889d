// Concurrent callers with the same key share one piece of work; it is cancelled only if every caller gives up.
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, { promise: Promise<T>; callers: number; abort: AbortController }>();

  /** Number of keys with work in flight. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Callers currently waiting on `key`'s work. */
  callers(key: string): number {
    return this.inFlight.get(key)?.callers ?? 0;
  }

  run(key: string, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let entry = this.inFlight.get(key);
    if (!entry) {
      const abort = new AbortController();
      const promise = work(abort.signal).finally(() => this.inFlight.delete(key));
      entry = { promise, callers: 0, abort };
      this.inFlight.set(key, entry);
    }
    const shared = entry;
    shared.callers++;
    if (!signal) return shared.promise;
    const leave = () => {
      if (--shared.callers === 0) shared.abort.abort(signal.reason);
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    return shared.promise.finally(() => signal.removeEventListener('abort', leave));
  }
}
