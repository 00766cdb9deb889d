// Compliance routes: audit review, verification, exports, accounting of disclosures (stub).
import { Router } from 'express';
import type pg from 'pg';
import type { AuditWriter } from '../../audit';

export interface AuditRouteDeps {
  auditPool: pg.Pool;
  audit: AuditWriter;
}

export function auditRoutes(_deps: AuditRouteDeps): Router {
  return Router();
}
