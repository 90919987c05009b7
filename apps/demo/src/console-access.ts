import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, waitFor } from './local-stack';

/** Everyone in the demo network signs in with this password. */
export const DEMO_PASSWORD = 'demo password 123';

/** The demo's sign-in emails, by merchant key (factory, farm, broker, happyhome, littlered). */
export const demoEmail = (key: string) => `${key}@demo.gongxiao.example`;

const pidFile = (out: string) => resolve(out, 'demo-console.pids');

/** Whether a pid is one of our api or worker processes (a pid file can outlive a reboot: the number may now be anyone's). */
function isOurService(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /dist\/apps\/(api|worker)\/src\/main\.js/.test(command);
  } catch {
    return false;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Stops the api and worker a previous demo left serving the console (their pids are in
 * out/demo-console.pids): SIGTERM to each one's process group, then SIGKILL after 15 s, and waits
 * until they are gone. Pids that are no longer our api or worker are left alone. Answers how many
 * it stopped.
 */
export async function stopServedConsole(out: string): Promise<number> {
  const file = pidFile(out);
  if (!existsSync(file)) return 0;
  const pids = readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number).filter(isOurService);
  for (const pid of pids) process.kill(-pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  for (const pid of pids.filter(alive)) process.kill(-pid, 'SIGKILL');
  while (pids.some(alive)) await new Promise((done) => setTimeout(done, 50));
  rmSync(file, { force: true });
  return pids.length;
}

/** Fails, saying what to do, when something already answers on the demo's port (a demo started with another DEMO_OUT, say). */
export async function assertPortFree(port: number): Promise<void> {
  const taken = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`Port ${port} is taken by another process (a demo started with another DEMO_OUT?): stop it (npm run demo:stop), or set DEMO_PORT.`);
}

/**
 * Starts the api and a worker on the demo's database in the background, detached from this
 * process, so the console stays open after the demo has printed its summary; their logs go to
 * out/demo-console-{api,worker}.log and `npm run demo:stop` stops them.
 */
export async function serveConsole(env: NodeJS.ProcessEnv, out: string, port: number): Promise<void> {
  mkdirSync(out, { recursive: true });
  await stopServedConsole(out);
  await assertPortFree(port);
  const pids: number[] = [];
  for (const name of ['api', 'worker'] as const) {
    const log = openSync(resolve(out, `demo-console-${name}.log`), 'a');
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', resolve(ROOT, `dist/apps/${name}/src/main.js`)], {
      cwd: ROOT,
      env: { ...env, TS_NODE_BASEURL: resolve(ROOT, 'dist') },
      stdio: ['ignore', log, log],
      detached: true,
    });
    child.unref();
    if (child.pid) pids.push(child.pid);
  }
  writeFileSync(pidFile(out), pids.join('\n'));
  await waitFor('the console api to answer /health', async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, 60_000);
}

/** Where to open the console and whom to sign in as. */
export function printConsoleAccess(port: number, serving: boolean): void {
  const url = `http://127.0.0.1:${port}/console/`;
  console.log(`\n\x1b[1m控制台 Web console\x1b[0m ${serving ? url : '(not left running: DEMO_SERVE=0 or CI)'}`);
  const accounts: [string, string][] = [
    ['供应商 Supplier (Yiwu Sunrise Factory)', demoEmail('factory')],
    ['代理 Broker (Hangzhou Bridge Trading)', demoEmail('broker')],
    ['分销商 Distributor (Happy Home Stores)', demoEmail('happyhome')],
    ['供应商 Supplier (Yunnan Mountain Farm)', demoEmail('farm')],
  ];
  for (const [who, email] of accounts) console.log(`  ${who.padEnd(40)} ${email}  密码 password: ${DEMO_PASSWORD}`);
  if (serving) console.log(`  The api and a worker keep running in the background for the console; stop them with: npm run demo:stop`);
  else console.log(`  Open it later with: npm run demo:console  (serves the last demo's data at ${url})`);
}
