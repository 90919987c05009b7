import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((done) => {
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** `count` consecutive ports free on 127.0.0.1, each with its cluster bus port (port + 10000) free too. */
export async function freeClusterPorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 25_000);
    const ports = Array.from({ length: count }, (_, index) => base + index);
    const free = await Promise.all(ports.flatMap((port) => [isFree(port), isFree(port + 10_000)]));
    if (free.every(Boolean)) return ports;
  }
  throw new Error(`No ${count} free ports (with their cluster bus ports) found on 127.0.0.1`);
}

/**
 * A Redis Cluster of its own on 127.0.0.1: `primaries` primaries, each with one replica, in a
 * temporary directory, nothing kept on disk. A short node timeout, so that a killed primary's replica
 * takes over within seconds.
 */
export class LocalRedisCluster {
  private readonly dir = mkdtempSync(join(tmpdir(), 'gx-redis-cluster-'));
  private readonly servers = new Map<number, ChildProcess>();
  ports: number[] = [];

  constructor(private readonly primaries = 3) {}

  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  async start(): Promise<void> {
    this.ports = await freeClusterPorts(this.primaries * 2);
    for (const port of this.ports) {
      const server = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          ...['--cluster-node-timeout', '1500', '--cluster-replica-validity-factor', '0', '--save', '', '--appendonly', 'no'],
        ],
        { stdio: 'ignore' },
      );
      this.servers.set(port, server);
    }
    for (const port of this.ports) await this.eventually(`node ${port} answers`, async () => (await this.ask(port, ['ping'])) === 'PONG');
    execFileSync('redis-cli', ['--cluster', 'create', ...this.ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'], { stdio: 'pipe', timeout: 60_000 });
    await this.eventually('the cluster is healthy', () => this.healthy());
  }

  /** Every live node says the cluster is ok, and every replica is in sync with its primary. */
  async healthy(): Promise<boolean> {
    for (const port of this.livePorts()) {
      const info = String(await this.ask(port, ['cluster', 'info']));
      if (!info.includes('cluster_state:ok')) return false;
      const replication = String(await this.ask(port, ['info', 'replication']));
      if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return false;
    }
    return true;
  }

  /** The port of the primary now serving `key`'s hash slot, as a live node sees it. */
  async primaryOf(key: string): Promise<number> {
    const [port] = this.livePorts();
    const slot = Number(await this.ask(port, ['cluster', 'keyslot', key]));
    const ranges = (await this.ask(port, ['cluster', 'slots'])) as [number, number, [string, number, string]][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`No node serves slot ${slot}`);
    return range[2][1];
  }

  /** Waits until `key`'s slot is served by a primary other than `formerPort`, and the cluster is ok again. */
  async failedOver(key: string, formerPort: number, timeoutMs = 60_000): Promise<number> {
    let port = formerPort;
    await this.eventually(
      `a replica took over from ${formerPort}`,
      async () => {
        port = await this.primaryOf(key).catch(() => formerPort);
        return port !== formerPort && (await this.healthy().catch(() => false));
      },
      timeoutMs,
    );
    return port;
  }

  /** The keys each live primary holds that match `pattern`. */
  async keysByPrimary(pattern: string): Promise<Map<number, string[]>> {
    const byPrimary = new Map<number, string[]>();
    for (const port of this.livePorts()) {
      const replication = String(await this.ask(port, ['info', 'replication']));
      if (!replication.includes('role:master')) continue;
      byPrimary.set(port, (await this.ask(port, ['keys', pattern])) as string[]);
    }
    return byPrimary;
  }

  kill(port: number): void {
    this.servers.get(port)?.kill('SIGKILL');
    this.servers.delete(port);
  }

  stop(): void {
    for (const port of [...this.servers.keys()]) this.kill(port);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private livePorts(): number[] {
    return [...this.servers.keys()];
  }

  private async ask(port: number, command: string[]): Promise<unknown> {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(command[0], ...command.slice(1));
    } finally {
      client.disconnect();
    }
  }

  private async eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} did not happen within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
