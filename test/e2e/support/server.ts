/**
 * Starts the real app as a child process (as `npm start` would, but from the TypeScript sources)
 * on a free port with a fresh temporary database, so the first start loads the demo clinic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { emptyPostgresDatabase, onPostgres } from '../../test-db';

export const projectRoot = path.resolve(__dirname, '../../..');

export type RunningServer = {
  url: string;
  port: number;
  databaseFile: string;
  /** The database the server runs on: its PostgreSQL URL, or the SQLite file (for openDb). */
  database: string;
  stop: () => Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-e2e-'));
  const databaseFile = path.join(dir, 'clinic.sqlite');
  const port = await freePort();
  // With TEST_DATABASE_URL the app runs on a fresh PostgreSQL database (dropped after the file).
  const postgres = onPostgres ? { DATABASE_URL: await emptyPostgresDatabase() } : {};
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_FILE: databaseFile,
      DEMO: '1',
      SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...postgres,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within ${options.timeoutMs ?? 80000} ms:\n${output}`)),
      options.timeoutMs ?? 80000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/running at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before starting:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await started;
  } catch (err) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url, port, databaseFile, database: postgres.DATABASE_URL ?? databaseFile, stop };
}
