// A loopback TCP proxy in front of PostgreSQL that counts round trips on the wire: every simple Query ('Q')
// and every extended-protocol Sync ('S') is one request the client waits on. Bytes pass through unchanged.
import net from 'node:net';

export interface RoundTrip {
  connection: number;
  /** The statement(s) of this round trip, whitespace-collapsed. */
  sql: string;
}

export interface PgCounter {
  port: number;
  /** Round trips and new connections since the last reset. */
  snapshot(): { roundTrips: RoundTrip[]; connections: number };
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

function cstrings(buf: Buffer, start: number, count: number): string[] {
  const out: string[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const end = buf.indexOf(0, at);
    if (end < 0) break;
    out.push(buf.toString('utf8', at, end));
    at = end + 1;
  }
  return out;
}

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

export async function startPgCounter(target: { host: string; port: number }): Promise<PgCounter> {
  let roundTrips: RoundTrip[] = [];
  let connections = 0;
  let nextConnection = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const id = ++nextConnection;
    connections++;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    upstream.pipe(client);

    let startup = true;
    let buffered: Buffer = Buffer.alloc(0);
    const statements = new Map<string, string>();
    let batch: string[] = [];
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (startup) {
          if (buffered.length < 8) break;
          const len = buffered.readInt32BE(0);
          if (buffered.length < len) break;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(len);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          continue;
        }
        if (buffered.length < 5) break;
        const type = String.fromCharCode(buffered[0]);
        const len = buffered.readInt32BE(1);
        if (buffered.length < len + 1) break;
        const body = buffered.subarray(5, len + 1);
        if (type === 'Q') {
          roundTrips.push({ connection: id, sql: squash(cstrings(body, 0, 1)[0] ?? '') });
        } else if (type === 'P') {
          const [name, sql] = cstrings(body, 0, 2);
          statements.set(name, sql);
          batch.push(sql);
        } else if (type === 'B') {
          const [, name] = cstrings(body, 0, 2);
          const sql = statements.get(name);
          if (sql !== undefined && batch[batch.length - 1] !== sql) batch.push(sql);
        } else if (type === 'S') {
          roundTrips.push({ connection: id, sql: squash(batch.join(' ; ')) || '(sync)' });
          batch = [];
        }
        buffered = buffered.subarray(len + 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    snapshot: () => ({ roundTrips: [...roundTrips], connections }),
    reset() {
      roundTrips = [];
      connections = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
