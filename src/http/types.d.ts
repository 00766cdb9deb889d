// Request fields shiftnote's middleware adds.
import type { Logger } from 'pino';
import type { Principal } from '../access/policy';

declare module 'express-serve-static-core' {
  interface Request {
    /** Made by the server for every request: the id in audit rows, logs, the envelope and X-Request-Id. */
    id: string;
    /** The client's own X-Request-Id, when well-formed: kept beside ours, never instead of it. */
    clientRequestId?: string;
    log: Logger;
    principal?: Principal;
  }
}
