import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The PostgreSQL server binaries of this machine (the newest version installed), or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .find((item) => existsSync(join(root, item, 'bin/pg_ctl')));
  return version ? join(root, version, 'bin') : null;
}

/**
 * A PostgreSQL server of its own, in a directory of its own, on 127.0.0.1 and a port of its own
 * (trust auth, user postgres): for runs that stop, pause or replicate a server, which the machine's
 * own must never be. As root, the server runs as the postgres user.
 */
export class PrivatePostgres {
  private readonly asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];

  constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private run(args: string[]): void {
    const [command, ...rest] = [...this.asPostgres, ...args];
    execFileSync(command, rest, { stdio: 'pipe' });
  }

  private prepareDir(): void {
    mkdirSync(this.dir, { recursive: true });
    if (this.asPostgres.length) execFileSync('chown', ['-R', 'postgres', this.dir]);
    chmodSync(this.dir, 0o700);
  }

  init(): void {
    this.prepareDir();
    this.run([join(this.bin, 'initdb'), '-D', join(this.dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync']);
  }

  /** A streaming replica of this (running) server in `dir`, configured to follow it; start it next. */
  replica(dir: string, port: number): PrivatePostgres {
    const replica = new PrivatePostgres(this.bin, dir, port);
    replica.prepareDir();
    replica.run([join(this.bin, 'pg_basebackup'), '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-D', join(dir, 'data'), '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    return replica;
  }

  /** `settings`: more `-c name=value` server settings (`log_statement=all`, say). */
  start(settings: string[] = []): void {
    this.run([
      join(this.bin, 'pg_ctl'),
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off${settings.map((setting) => ` -c ${setting}`).join('')}`,
      'start',
    ]);
  }

  /** Runs an SQL script (a pg_dump, say) in `database`, stopping at the first error. */
  restore(database: string, script: Buffer): void {
    execFileSync(join(this.bin, 'psql'), ['-q', '-v', 'ON_ERROR_STOP=1', '-X', '-o', '/dev/null', this.url(database)], { input: script, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** What the server has logged so far. */
  log(): string {
    return readFileSync(join(this.dir, 'server.log'), 'utf8');
  }

  stop(): void {
    this.run([join(this.bin, 'pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }
}
