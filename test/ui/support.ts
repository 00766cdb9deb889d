// Browser tests' harness: the real service as a child process on its own test database, and headless Debian Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Role } from '../../src/access/policy';
import { mintToken } from '../../src/http/auth';
import { createTestDatabase, type TestDatabase } from '../support/db';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SECRET = 'ui-test-secret-ui-test-secret-0123456789';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Service {
  url: string;
  database: TestDatabase;
  /** The service's log lines (JSON), for diagnosing a failure. */
  logs: string[];
  token(roles: Role[], sub: string): Promise<string>;
  /** GET as JSON with a bearer token; throws on a non-2xx status. */
  get<T>(path: string, token: string): Promise<T>;
  stop(): Promise<void>;
}

const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * `tsx src/main.ts` with a cloned, migrated database, the demo seed, port 0 and an HS256 secret; resolves once the
 * service logs "shiftnote listening". It runs in its own process group so stop() also ends tsx's child.
 */
export async function startService(opts: { llmConfig?: string } = {}): Promise<Service> {
  const database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SEED_DEMO: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: SECRET,
    PREWARM_TIMES: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    LLM_CONFIG: opts.llmConfig ?? '/nonexistent.yaml',
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [TSX_CLI, 'src/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within 90 s:\n${logs.slice(-20).join('\n')}`)), 90_000);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'shiftnote listening' && entry.port) {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // not a log line (a warning from node or tsx)
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8').trimEnd()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening:\n${logs.slice(-20).join('\n')}`));
    });
  }).catch(async (err) => {
    await stopGroup(child, exited);
    await database.drop();
    throw err;
  });
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    database,
    logs,
    token: (roles, sub) => mintToken(SECRET, { sub, roles, ttlSeconds: 3600 }),
    async get<T>(p: string, token: string): Promise<T> {
      const res = await fetch(url + p, { headers: { Authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      await stopGroup(child, exited);
      await database.drop();
    },
  };
}

/** SIGTERM to the child's process group (it drains and exits), SIGKILL if it has not within 15 s. */
async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 15_000)));
  const outcome = await Promise.race([exited.then(() => 'exited'), timeout]);
  clearTimeout(timer);
  if (outcome !== 'exited') {
    signal('SIGKILL');
    await exited;
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (never a Playwright browser download)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface TestPage {
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here). */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh context (own sessionStorage) at 1280×800. */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 403/401 answer is logged by the browser as a failed resource load; that is the page's expected input.
    if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return { page, problems, close: () => context.close() };
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Where a test's screenshot goes: `.ui-screenshots/` (ignored by git), or `docs/` when refreshing the README's
 * pictures on purpose (`UPDATE_SCREENSHOTS=1 npm run test:ui`), so a CI run leaves the tree as it found it.
 */
export function screenshotPath(name: string): string {
  const dir = path.join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : '.ui-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** The contract's LLM YAML with one OpenAI-compatible provider at `url` (the fake upstream), written to a temp file. */
export function writeLlmConfig(url: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-ui-'));
  const file = path.join(dir, 'llm.yaml');
  fs.writeFileSync(
    file,
    `providers:
  - { name: fake-openai, type: openai, base_url: ${url}, api_key: test-key, model: fake-model, weight: 100, baa: true }
routing: { strategy: failover, fallback_on: [5xx, timeout, 429, connection], attempt_timeout_ms: 5000, deadline_ms: 10000, retries_per_provider: 0 }
`,
  );
  return file;
}
