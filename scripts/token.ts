// Mints a dev/test token: `npm run token -- --role clinician --ward <wardId> [--sub alice] [--ttl 3600]`.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '../src/access/policy';
import { mintToken } from '../src/http/auth';
import { projectRoot } from '../src/paths';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['clinician'] },
    ward: { type: 'string', multiple: true },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '43200' },
  },
});

const args = z
  .object({
    role: z.array(z.enum(ROLES)).min(1),
    ward: z.array(z.uuid()).optional(),
    sub: z.string().min(1).optional(),
    ttl: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86400),
  })
  .safeParse({ ...values, role: values.role?.flatMap((r) => r.split(',')) });
if (!args.success) {
  process.stderr.write(`token: ${args.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`);
  process.exit(2);
}

const devSecretFile = path.join(projectRoot, '.data', 'dev-auth-secret');
const secret = process.env.AUTH_JWT_SECRET || (fs.existsSync(devSecretFile) ? fs.readFileSync(devSecretFile, 'utf8').trim() : '');
if (!secret) {
  process.stderr.write('token: set AUTH_JWT_SECRET, or run `npm start` once in dev mode to create .data/dev-auth-secret\n');
  process.exit(2);
}

void mintToken(secret, {
  sub: args.data.sub ?? `dev-${args.data.role.join('-')}`,
  roles: args.data.role,
  wardIds: args.data.ward,
  ttlSeconds: args.data.ttl,
  issuer: process.env.AUTH_ISSUER || undefined,
  audience: process.env.AUTH_AUDIENCE || undefined,
}).then((token) => process.stdout.write(token + '\n'));
