// Request fields shiftnote's middleware adds.
import type { Logger } from 'pino';
import type { Principal } from './auth';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
    principal?: Principal;
  }
}
