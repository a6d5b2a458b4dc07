import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

// One real Tessera server per test, on its own fresh SQLite database and a port the kernel
// picks: every test starts from first run, and tests never see each other's data.
const root = path.resolve(__dirname, '..', '..');
const binary = process.env.TESSERA_BIN ?? path.join(root, 'target', 'debug', 'tessera');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site');

export class TesseraServer {
  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly dataDir: string,
    readonly logs: string[],
  ) {}

  /** `env` adds to (or overrides) the server's environment: limits a test needs small. */
  static async start(env: Record<string, string> = {}): Promise<TesseraServer> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));
    const child = spawn(binary, [], {
      env: {
        ...process.env,
        TESSERA_ADDR: '127.0.0.1:0',
        DATABASE_URL: `sqlite://${dataDir}/tessera.db`,
        TESSERA_DATA_DIR: dataDir,
        LEPTOS_SITE_ROOT: siteRoot,
        TESSERA_LOG_FORMAT: 'json',
        RUST_LOG: 'info',
        // Integrations' Test connection may reach servers the tests start on this machine.
        TESSERA_EGRESS_ALLOW: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`));
      });
      for (const stream of [child.stdout!, child.stderr!]) {
        readline.createInterface({ input: stream }).on('line', (line) => {
          logs.push(line);
          const match = /listening on (http:\/\/[0-9.:]+)/.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      }
    });
    return new TesseraServer(url, child, dataDir, logs);
  }

  /** Stops the server the way an operator would (SIGTERM) and removes its data. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
