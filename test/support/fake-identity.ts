// Fake credential issuers on 127.0.0.1: Entra ID (managed identity and client credentials), the GCE metadata server, AWS container credentials.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

/** A self-signed certificate for 127.0.0.1, for issuers that must be HTTPS (Entra's authority). Tests only. */
export const testTls = {
  key: readFileSync(join(__dirname, 'tls/localhost-key.pem'), 'utf8'),
  cert: readFileSync(join(__dirname, 'tls/localhost-cert.pem'), 'utf8'),
  caFile: join(__dirname, 'tls/localhost-cert.pem'),
};

export interface Issued {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  revoked: boolean;
}

export interface FakeIssuer {
  url: string;
  port: number;
  /** Every request path (with query), in order. */
  requests: string[];
  /** Tokens (or AWS session tokens) handed out, newest last. */
  issued: Issued[];
  /** Lifetime of the next tokens, in seconds. */
  lifetimeSeconds: number;
  /** Answer the next token requests with this status (Entra/Google/AWS error body), then recover. */
  failNext(status: number, times?: number): void;
  /** Never answer token requests (until close()). */
  hang(on: boolean): void;
  /** Is this a token it issued, unrevoked and unexpired? */
  valid(token: string | undefined): boolean;
  revoke(token: string): void;
  close(): Promise<void>;
}

interface IssuerSpec {
  tls?: boolean;
  /** Requests that would hand out a token: the ones failNext() and hang() act on. */
  isTokenRequest(req: http.IncomingMessage): boolean;
  /** Answers one request: null means "not a token request" (404). */
  route(
    req: http.IncomingMessage,
    body: string,
    issue: () => Issued,
    port: number,
  ): { status: number; json?: unknown; text?: string; headers?: Record<string, string> } | null;
  /** The error a failing issuer answers. */
  error(status: number): unknown;
}

async function startIssuer(spec: IssuerSpec): Promise<FakeIssuer> {
  const requests: string[] = [];
  const issued: Issued[] = [];
  const sockets = new Set<Socket>();
  let failures: { status: number; left: number } | null = null;
  let hanging = false;
  const state = { lifetimeSeconds: 3600 };
  const issue = (): Issued => {
    const token = `tok-${issued.length + 1}-${randomBytes(6).toString('hex')}`;
    const entry = { token, expiresAt: Date.now() + state.lifetimeSeconds * 1000, revoked: false };
    issued.push(entry);
    return entry;
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      if (spec.isTokenRequest(req)) {
        if (hanging) return;
        if (failures && failures.left > 0) {
          failures.left--;
          res.writeHead(failures.status, { 'content-type': 'application/json' }).end(JSON.stringify(spec.error(failures.status)));
          return;
        }
      }
      const port = (server.address() as AddressInfo).port;
      const answer = spec.route(req, body, () => issue(), port);
      if (answer === null) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.json !== undefined ? 'application/json' : 'text/plain', ...answer.headers });
      res.end(answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? ''));
    });
  };
  const server = spec.tls ? https.createServer({ key: testTls.key, cert: testTls.cert }, handler) : http.createServer(handler);
  server.on(spec.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${spec.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    issued,
    get lifetimeSeconds() {
      return state.lifetimeSeconds;
    },
    set lifetimeSeconds(value: number) {
      state.lifetimeSeconds = value;
    },
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    hang(on) {
      hanging = on;
    },
    valid(token) {
      const entry = issued.find((i) => i.token === token);
      return entry !== undefined && !entry.revoked && entry.expiresAt > Date.now();
    },
    revoke(token) {
      const entry = issued.find((i) => i.token === token);
      if (entry) entry.revoked = true;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Entra ID, both ways @azure/identity reaches it: the App Service managed identity endpoint (IDENTITY_ENDPOINT +
 * X-IDENTITY-HEADER, plain HTTP as on the platform) and an authority for client credentials (HTTPS: the library
 * refuses anything else), with its OpenID configuration and /oauth2/v2.0/token.
 */
export function startFakeEntra(options: {
  tenant: string;
  clientId: string;
  clientSecret: string;
  identityHeader: string;
  tls?: boolean;
}): Promise<FakeIssuer> {
  return startIssuer({
    tls: options.tls,
    isTokenRequest: (req) => /\/(oauth2\/v2\.0\/token|msi\/token)/.test(req.url ?? ''),
    route(req, body, issue, port) {
      const url = new URL(req.url ?? '/', 'http://x');
      const base = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/${options.tenant}`;
      if (req.method === 'GET' && url.pathname === `/${options.tenant}/v2.0/.well-known/openid-configuration`) {
        return {
          status: 200,
          json: {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
          },
        };
      }
      if (req.method === 'POST' && url.pathname === `/${options.tenant}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== options.clientId) {
          return {
            status: 400,
            json: { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found in the directory.' },
          };
        }
        if (form.get('client_secret') !== options.clientSecret) {
          return { status: 401, json: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
        }
        if (form.get('scope') !== 'https://cognitiveservices.azure.com/.default') return { status: 400, json: { error: 'invalid_scope' } };
        const t = issue();
        return {
          status: 200,
          json: {
            token_type: 'Bearer',
            expires_in: Math.round((t.expiresAt - Date.now()) / 1000),
            ext_expires_in: 3600,
            access_token: t.token,
          },
        };
      }
      if (req.method === 'GET' && url.pathname === '/msi/token') {
        if (req.headers['x-identity-header'] !== options.identityHeader) return { status: 401, json: { error: 'invalid identity header' } };
        if (url.searchParams.get('resource') !== 'https://cognitiveservices.azure.com')
          return { status: 400, json: { error: 'invalid_resource' } };
        const t = issue();
        return {
          status: 200,
          json: {
            access_token: t.token,
            expires_on: String(Math.floor(t.expiresAt / 1000)),
            resource: 'https://cognitiveservices.azure.com',
            token_type: 'Bearer',
          },
        };
      }
      return null;
    },
    error: (status) => ({
      error: status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
      error_description: `AADSTS50000: fake failure ${status}`,
    }),
  });
}

/** The GCE/GKE/Cloud Run metadata server as google-auth-library probes it (GCE_METADATA_HOST=127.0.0.1:port). */
export function startFakeMetadataServer(options: { project: string }): Promise<FakeIssuer> {
  return startIssuer({
    isTokenRequest: (req) => (req.url ?? '').includes('/service-accounts/default/token'),
    route(req, _body, issue) {
      const flavor = { 'metadata-flavor': 'Google' };
      if (req.headers['metadata-flavor'] !== 'Google') return { status: 403, text: 'Missing Metadata-Flavor:Google header.' };
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/computeMetadata/v1/instance' || url.pathname === '/computeMetadata/v1/instance/')
        return { status: 200, text: '', headers: flavor };
      if (url.pathname === '/computeMetadata/v1/project/project-id') return { status: 200, text: options.project, headers: flavor };
      if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
        const t = issue();
        return {
          status: 200,
          json: { access_token: t.token, expires_in: Math.round((t.expiresAt - Date.now()) / 1000), token_type: 'Bearer' },
          headers: flavor,
        };
      }
      return null;
    },
    error: (status) => ({ error: status >= 500 ? 'internal_failure' : 'invalid_request', error_description: `fake failure ${status}` }),
  });
}

/** AWS container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN), as ECS and EKS Pod Identity serve them. */
export function startFakeContainerCredentials(options: {
  authorization: string;
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<FakeIssuer> {
  return startIssuer({
    isTokenRequest: (req) => req.url === '/creds',
    route(req, _body, issue) {
      if (req.url !== '/creds') return null;
      if (req.headers.authorization !== options.authorization) return { status: 403, json: { code: 'AccessDenied', message: 'bad token' } };
      const t = issue();
      return {
        status: 200,
        json: {
          AccessKeyId: options.accessKeyId,
          SecretAccessKey: options.secretAccessKey,
          Token: t.token,
          Expiration: new Date(t.expiresAt).toISOString(),
        },
      };
    },
    error: (status) => ({ code: status >= 500 ? 'InternalError' : 'AccessDenied', message: `fake failure ${status}` }),
  });
}
