import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The line each app prints once it runs (apps/worker/src/main.ts, apps/api/src/main.ts). */
const READY = { worker: 'Gongxiao worker running', api: 'Gongxiao API listening' };

/**
 * The compiled worker (dist/, built by jest's global setup) as a real child process, so a test can
 * kill it with SIGKILL in the middle of its work, as an operating system or an OOM killer would.
 */
export class WorkerProcess {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly app: 'worker' | 'api',
  ) {
    child.stdout!.on('data', (chunk: Buffer) => this.record(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.record(chunk));
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  /** Starts `node -r tsconfig-paths/register dist/apps/<app>/src/main.js` with `env` on top of this process's environment. */
  static start(env: Record<string, string>, app: 'worker' | 'api' = 'worker'): WorkerProcess {
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', `dist/apps/${app}/src/main.js`], {
      cwd: root,
      env: { ...process.env, TS_NODE_BASEURL: resolve(root, 'dist'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child, app);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the worker says it runs; fails with its output when it exits or takes too long. */
  async ready(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(READY[this.app])) {
      if (!this.running) throw new Error(`The ${this.app} exited before it was ready (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`The ${this.app} was not ready after ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  /** Kills the process (SIGKILL unless told otherwise: no shutdown hook runs) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  /**
   * Stops the process as an orchestrator would: SIGTERM (its shutdown hooks run), then SIGKILL when
   * it is still there after `graceMs`. Resolves once it is gone.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([this.exited.then(() => true), new Promise<boolean>((done) => (timer = setTimeout(() => done(false), graceMs)))]);
    clearTimeout(timer);
    if (!gone) await this.kill('SIGKILL');
  }

  /** Everything the process wrote so far (up to its last 4-5 MB). */
  get logs(): string {
    return this.output;
  }

  /** The end of what the worker wrote, for failure messages. */
  tail(characters = 4000): string {
    return this.output.slice(-characters);
  }

  private record(chunk: Buffer): void {
    this.output += chunk.toString('utf8');
    if (this.output.length > 5_000_000) this.output = this.output.slice(-4_000_000);
  }
}
