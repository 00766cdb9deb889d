// Applies committed Prisma migrations with the Prisma CLI (`migrate deploy`), as production does.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot as root } from '../paths';

export function migrateDeploy(databaseUrl: string): Promise<void> {
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, 'migrate', 'deploy'],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        // The CLI redacts the URL itself; keep only the tail of its message.
        reject(new Error(`prisma migrate deploy failed: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      },
    );
  });
}
