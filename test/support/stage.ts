import { INestApplicationContext } from '@nestjs/common';
import { AddressInfo, createServer } from 'node:net';
import { AppConfig, loadConfig } from '@gongxiao/core';
import { deleteQueueKeys } from './redis-keys';
import { planTestDatabase, startWorker, TestApi, TestDatabase, testEnvironment } from './test-environment';
import { WorkerProcess } from './worker-process';

/** Where the worker runs: the real one in this process, or the compiled one as a child process (which a story may SIGKILL). */
export type WorkerKind = 'in-process' | 'process';

/** What a running worker is, by where it runs. */
export type StageWorker<Kind extends WorkerKind> = Kind extends 'process' ? WorkerProcess : INestApplicationContext;

export interface StageOptions<Kind extends WorkerKind> {
  /** The worker of this stage, by where it runs; none when false (the default). */
  worker?: Kind | false;
  /** False: no worker runs until a story calls `stage.startWorker()`. True by default. */
  startWorker?: boolean;
  /**
   * The api in this process (`stage.api`, the default), or the compiled api as a child process
   * listening on a free port (`stage.apiProcess`, `stage.apiUrl`).
   */
  api?: 'in-process' | 'process';
  /**
   * The in-process api also listens on a free port of 127.0.0.1 (`stage.apiUrl`): for a browser on
   * the console, while the story sets up data through `stage.api` as usual.
   */
  listen?: boolean;
  /** Settings on top of `testEnvironment`'s, for the api and every worker of the stage. */
  config?: Record<string, string>;
}

/** What one describe block plays on: its own database, BullMQ prefix, api and worker. */
export interface Stage<Kind extends WorkerKind = WorkerKind> {
  /** Its own database (named now, created in beforeAll, dropped in afterAll). */
  readonly database: TestDatabase;
  /** The configuration of the api and the worker (its own QUEUE_PREFIX). */
  readonly config: AppConfig;
  /** The environment the api and worker processes get (strings, as in `.env`). */
  readonly environment: Readonly<Record<string, string>>;
  /** The in-process api; its requests work once beforeAll has run. */
  readonly api: TestApi;
  /** The api as a child process (api: 'process'). */
  readonly apiProcess: WorkerProcess;
  /** Where the api listens (api: 'process', or listen: true), e.g. http://127.0.0.1:40123. */
  readonly apiUrl: string;
  /** The worker started last that still runs. */
  readonly worker: StageWorker<Kind>;
  /** Starts a worker of the stage's kind with the stage's settings and `overrides`, and waits until it runs; the stage stops it at the end. */
  startWorker(overrides?: Record<string, string>): Promise<StageWorker<Kind>>;
  /** Stops every worker of the stage that still runs (a graceful close; SIGTERM for a process), so that a story can start one of its own. */
  stopWorker(): Promise<void>;
}

/** Steps that undo the set-up, run last in, first out; each runs once, whatever the others do. */
class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.name}: ${(error as Error).stack ?? String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`The stage did not come down cleanly:\n${failures.join('\n')}`);
  }
}

/** A port nobody listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * One stage for the describe block it is called in: registers a beforeAll that creates the
 * database (cloned from the migrated template), starts the api and, if asked, the worker, and an
 * afterAll that stops everything that was started, deletes the stage's Redis keys and drops the
 * database. A set-up that fails half-way takes down what it had started before failing, so no
 * process, connection or database outlives the file.
 *
 * Call it first in the block (before the block's own beforeAll, which then finds the api
 * running). The database, config and api objects exist at once, so they can be destructured at
 * describe time: `const { api, database } = useStage({ worker: 'in-process' })`.
 */
export function useStage<Kind extends WorkerKind = 'in-process'>(options: StageOptions<Kind> = {}): Stage<Kind> {
  const database = planTestDatabase();
  const environment = testEnvironment(database, options.config);
  const config = loadConfig(environment);
  const api = new TestApi(config);
  const kind = options.worker || undefined;
  const workers: { worker: StageWorker<Kind>; stop: () => Promise<void> }[] = [];
  const teardown = new Teardown();
  let apiProcess: WorkerProcess | undefined;
  let apiUrl: string | undefined;

  const isRunning = (worker: StageWorker<Kind>) => !(worker instanceof WorkerProcess) || worker.running;

  const startStageWorker = async (overrides: Record<string, string> = {}): Promise<StageWorker<Kind>> => {
    if (!kind) throw new Error('This stage has no worker: pass useStage({ worker: "in-process" | "process" })');
    if (kind === 'process') {
      const child = WorkerProcess.start({ ...environment, ...overrides });
      const entry = { worker: child as StageWorker<Kind>, stop: () => child.stop() };
      workers.push(entry);
      teardown.add('stop a worker process', async () => (workers.includes(entry) ? entry.stop() : undefined));
      await child.ready();
      return entry.worker;
    }
    const worker = (await startWorker(loadConfig({ ...environment, ...overrides }))) as StageWorker<Kind>;
    const entry = { worker, stop: () => (worker as INestApplicationContext).close() };
    workers.push(entry);
    teardown.add('close an in-process worker', async () => (workers.includes(entry) ? entry.stop() : undefined));
    return worker;
  };

  const stopWorkers = async (): Promise<void> => {
    for (const entry of workers.splice(0).reverse()) await entry.stop();
  };

  beforeAll(async () => {
    try {
      teardown.add('drop the database', () => database.drop());
      await database.create();
      teardown.add('delete the Redis keys', () => deleteQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX));
      if (options.api === 'process') {
        const port = String(await freePort());
        const child = WorkerProcess.start({ ...environment, PORT: port, HOST: '127.0.0.1' }, 'api');
        apiProcess = child;
        teardown.add('stop the api process', () => child.stop());
        apiUrl = `http://127.0.0.1:${port}`;
        // The worker process starts meanwhile: both take a few seconds to load.
        await Promise.all([child.ready(), kind === 'process' && options.startWorker !== false ? startStageWorker() : undefined]);
      } else {
        teardown.add('close the api', () => api.close());
        await api.start();
        if (options.listen) {
          const port = await freePort();
          await api.app.listen(port, '127.0.0.1');
          apiUrl = `http://127.0.0.1:${port}`;
        }
      }
      if (kind && options.startWorker !== false && workers.length === 0) await startStageWorker();
    } catch (error) {
      await teardown.run().catch((failure: Error) => process.stderr.write(`${failure.message}\n`));
      throw error;
    }
  }, 90_000);

  // Stopping a browser, an api, workers and dropping a database can take a minute on a loaded 2-core CI machine.
  afterAll(() => teardown.run(), 120_000);

  return {
    database,
    config,
    environment,
    api,
    get apiProcess() {
      if (!apiProcess) throw new Error('This stage has no api process: pass useStage({ api: "process" })');
      return apiProcess;
    },
    get apiUrl() {
      if (!apiUrl) throw new Error('This stage’s api does not listen: pass useStage({ api: "process" }) or useStage({ listen: true })');
      return apiUrl;
    },
    get worker() {
      const running = workers.filter((entry) => isRunning(entry.worker));
      if (running.length === 0) throw new Error(kind ? 'No worker of this stage runs now' : 'This stage has no worker: pass useStage({ worker: "in-process" | "process" })');
      return running[running.length - 1].worker;
    },
    startWorker: startStageWorker,
    stopWorker: stopWorkers,
  };
}
