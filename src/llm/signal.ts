// A lightweight abort signal for one attempt: the EventEmitter subset undici's `signal` option relies on.
import type { EventEmitter } from 'node:events';

type Listener = () => void;

/**
 * undici accepts an EventEmitter as `signal` (reading `aborted` and `reason`, listening for 'abort').
 * A new AbortSignal or EventEmitter per attempt costs close to a microsecond on Node 20; this costs almost nothing.
 */
export class AttemptSignal {
  aborted = false;
  reason: Error | undefined = undefined;
  // Usually exactly one: undici's own listener.
  private listeners: Listener[] | null = null;

  on(event: string, listener: Listener): this {
    if (event === 'abort' && !this.aborted) (this.listeners ??= []).push(listener);
    return this;
  }

  // 'abort' fires at most once, so once() and on() are the same here.
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    const listeners = this.listeners;
    if (event !== 'abort' || listeners === null) return this;
    if (listeners.length === 1) {
      if (listeners[0] === listener) this.listeners = null;
    } else {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
    }
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }

  /** The type undici's options declare; this class provides the part of it undici uses. */
  asEmitter(): EventEmitter {
    return this as unknown as EventEmitter;
  }
}
