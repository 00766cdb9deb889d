// A credential holder that never shows its value to JSON, util.inspect, string conversion or template literals.
import { inspect } from 'node:util';

const redacted = '[redacted]';

export class Secret {
  // A #private field: invisible to Object.keys, JSON.stringify and util.inspect (even with showHidden).
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The only way to the value: call it where the header is built, nowhere else. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return redacted;
  }

  toString(): string {
    return redacted;
  }

  [inspect.custom](): string {
    return `Secret(${redacted})`;
  }
}
