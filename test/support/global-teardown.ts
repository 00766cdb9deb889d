// Jest global teardown: drop this run's databases and stop any server the setup started.
import pg from 'pg';
import { withDatabase } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.SHIFTNOTE_TEST_SERVER_URL;
  const run = process.env.SHIFTNOTE_TEST_RUN;
  if (serverUrl && run) {
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `shiftnote_t_${run}_%`,
      ]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  const g = globalThis as { __shiftnoteStop?: (() => Promise<void>)[] };
  for (const stop of g.__shiftnoteStop ?? []) await stop();
}
