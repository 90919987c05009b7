import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync, ValidateBy } from 'class-validator';
import { FieldKeyring, FieldKeyringError } from '../crypto/field-encryption';
import { OutgoingAllowList } from '../outgoing/allow-list';

const toBoolean = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value);
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every setting of the api and the worker, read from the environment and validated at start-up.
 * Each one is listed in `.env.example`.
 */
export class AppConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/gongxiao';

  /** A streaming replica for the list, scorecard, statement and file reads (see ReadReplica). Unset: the primary. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  /** How long a read waits for the replica to catch up before it reads the primary instead. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  DATABASE_READ_MAX_WAIT_MS = 1000;

  /** Most PostgreSQL connections one process opens. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(500)
  DATABASE_POOL_MAX = 20;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** A Redis Cluster's seed nodes (`host:port,…`) instead of REDIS_URL's server, whose credentials and TLS still apply. */
  @IsOptional()
  @Matches(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, { message: 'REDIS_CLUSTER_NODES must be host:port pairs separated by commas' })
  REDIS_CLUSTER_NODES?: string;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Prefix of every BullMQ key; lets several environments share one Redis (on a Redis Cluster each queue gets a hash tag of its own: no {braces} needed). */
  @Matches(/^[A-Za-z0-9:{}_-]+$/)
  QUEUE_PREFIX = 'gx';

  /** Largest request body accepted, in bytes (413 above it). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** How far a signed webhook's timestamp may be from now, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  WEBHOOK_TOLERANCE_SECONDS = 300;

  /** Signed requests (order and cancellation pushes) one shop may send per minute; 0 = no limit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHOP_RATE_LIMIT_PER_MINUTE = 12_000;

  /** Lifetime of a member's login token, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_TTL_HOURS = 24 * 7;

  /** scrypt cost of new password hashes, as log2(N) (OWASP: 17, with r=8, p=1); weaker stored hashes are rehashed at the next login. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(20)
  PASSWORD_SCRYPT_LOG_N = 17;

  /** Window of the sign-up, login and password-reset limits, in seconds (and how long an exceeded limit blocks). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_WINDOW_SECONDS = 900;

  /** Sign-up, login or password-reset attempts per email address and route within the window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_PER_EMAIL = 10;

  /** Sign-up, login or password-reset attempts per client IP address and route within the window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_PER_IP = 100;

  /** Unsigned or badly signed shop pushes one client IP address may send within the window before 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUSH_FAILURES_PER_IP = 60;

  /** Window of PUSH_FAILURES_PER_IP, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUSH_FAILURE_WINDOW_SECONDS = 60;

  /**
   * Which proxies' X-Forwarded-For the api believes for the client IP (fastify trustProxy): "false"
   * (the peer address, the default), "true" (any: only behind a proxy that overwrites the header),
   * a hop count, or addresses / CIDRs / loopback, linklocal, uniquelocal, comma-separated.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9A-Za-z.:/,\s]+)$/)
  TRUST_PROXY = 'false';

  /** Lifetime of a password-reset token, in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  PASSWORD_RESET_TTL_MINUTES = 60;

  /** An outbox event enqueued but not processed after this many seconds is enqueued again. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OUTBOX_REDELIVER_SECONDS = 30;

  /** How often the outbox relay looks for events to enqueue, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  OUTBOX_POLL_MS = 250;

  /** Jobs one worker process runs at once, per queue. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 8;

  /**
   * How long a worker's claim on a running job lasts unless renewed, in seconds (a live worker
   * renews it at half this). The jobs of a worker that died (kill -9, out of memory, lost host) run
   * again on another worker within about WORKER_LOCK_SECONDS + 2 × WORKER_STALLED_CHECK_SECONDS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_LOCK_SECONDS = 30;

  /** How often workers look for jobs whose worker died (BullMQ stalled-job check), in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_STALLED_CHECK_SECONDS = 30;

  /**
   * How far the worker's JavaScript heap may grow past what its last full garbage collection kept
   * before it collects again, in percent (V8's --heap-growing-percent; 0 = V8's own choice, which lets
   * a heap of this size grow by 100 % and more). Big exports and imports make garbage that outlives
   * the young generation: at V8's choice a 50,000-line order sheet took the worker +142 MB, at 50 %
   * +42 MB (at 20 %: +29 MB, but slower: many more full collections). Set once when the worker starts.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(400)
  WORKER_HEAP_GROWING_PERCENT = 50;

  /** Timeout of an outgoing webhook call (supplier ERP, shop callback), in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts of an outgoing webhook before it is marked failed (exponential backoff between). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /**
   * What outgoing calls (ERP, shop callbacks, subscriptions) may reach although it is loopback,
   * private or link-local: comma-separated addresses, CIDR ranges and host names (an on-premise
   * ERP). Empty by default: outgoing calls reach public addresses only.
   */
  @ValidateBy({
    name: 'outgoingAllowList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && allowListProblem(value) === undefined,
      defaultMessage: (args) => `OUTGOING_ALLOW_HOSTS: ${allowListProblem(String(args?.value)) ?? 'must be a text'}`,
    },
  })
  OUTGOING_ALLOW_HOSTS = '';

  /** An interception request the supplier has not answered after this many minutes is escalated. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTERCEPTION_ESCALATE_MINUTES = 120;

  /** How often the sweep for overdue work and retention runs (once per interval across all workers), in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SWEEP_INTERVAL_SECONDS = 30;

  /** How often the worker looks for order-sheet batches (发货批次) whose cut time has come, in seconds (once per interval across all workers). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ORDER_SHEET_CUT_INTERVAL_SECONDS = 60;

  /**
   * Where the worker writes statement and order-sheet exports and the api reads them back for download: the api and
   * every worker must see the same directory (one machine, or a shared volume).
   */
  @IsString()
  EXPORT_DIR = './out/exports';

  /**
   * Most fulfillment order lines the synchronous order-sheet export (GET /v1/fulfillment-orders/export.xlsx)
   * answers; a bigger sheet is refused (422 export_too_large) and asked for from the worker instead
   * (POST /v1/fulfillment-orders/exports), which also writes it to EXPORT_DIR.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ORDER_SHEET_SYNC_LIMIT_LINES = 20_000;

  /** The built web console (`npm run build` writes it there); the api serves it at /console. */
  @IsString()
  CONSOLE_DIR = './dist/console';

  /** Largest uploaded spreadsheet (a counterparty's statement to reconcile), in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  UPLOAD_LIMIT_BYTES = 20 * 1_048_576;

  /**
   * Bearer token (or basic-auth password, any user name) of operators: /metrics and the queue
   * dashboard at /admin/queues. Unset: both are off (404).
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OPERATOR_TOKEN must be at least 16 characters' })
  OPERATOR_TOKEN?: string;

  /** Origins the browser console may call the api from (comma-separated); empty: same origin only. */
  @IsString()
  CORS_ORIGINS = '';

  /** /health/ready fails when the oldest unprocessed outbox event is older than this, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HEALTH_OUTBOX_LAG_SECONDS = 300;

  /** /health/ready requires a live worker heartbeat (false for a deployment whose workers are checked elsewhere). */
  @Transform(toBoolean)
  @IsBoolean()
  HEALTH_REQUIRE_WORKER = true;

  /** A worker's heartbeat lasts this long in Redis, in seconds; it beats at a third of it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_HEARTBEAT_TTL_SECONDS = 30;

  /** Processed outbox events are deleted after this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_OUTBOX_DAYS = 14;

  /** Delivered and finally failed webhook deliveries are deleted after this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_WEBHOOK_DELIVERY_DAYS = 14;

  /** Expired or revoked login sessions are deleted this many days after they ended. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_SESSION_DAYS = 1;

  /** Idempotency records (stored answers of retried POSTs) are deleted after this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_IDEMPOTENCY_DAYS = 2;

  /** Idempotency keys of bulk stock updates (`POST /v1/stock-updates`) are deleted after this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_STOCK_UPDATE_DAYS = 7;

  /**
   * Stored upload files — what is left of an upload's bytes and its rejected-rows workbook (consignees'
   * names, phones, addresses for bulk orders) — are deleted this many days after the upload finished.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_IMPORT_FILE_DAYS = 30;

  /**
   * Order-sheet export files in EXPORT_DIR (consignees' names, phones, addresses in clear) are deleted this
   * many days after the export finished; the export stays, saying so (`filePrunedAt`).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_EXPORT_FILE_DAYS = 30;

  /** Rows one retention statement deletes at most (each table is pruned batch after batch). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_BATCH_SIZE = 5000;

  /**
   * Keys that encrypt signing secrets and consignee contact data at rest: `keyId:base64key,...`
   * (32 random bytes each). Keep a retired key listed until no row uses it. Required in production;
   * elsewhere, when unset, a fixed development key (public, so never for real data) is used.
   */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEYS?: string;

  /** Which key of DATA_ENCRYPTION_KEYS new values are written with (may be omitted when it holds one). */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEY_ID?: string;

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;
}

export class ConfigurationError extends Error {}

function allowListProblem(text: string): string | undefined {
  try {
    OutgoingAllowList.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const allowLists = new WeakMap<AppConfig, OutgoingAllowList>();

/** The parsed `OUTGOING_ALLOW_HOSTS` of a configuration (parsed once). */
export function outgoingAllowListOf(config: AppConfig): OutgoingAllowList {
  let allow = allowLists.get(config);
  if (!allow) allowLists.set(config, (allow = OutgoingAllowList.parse(config.OUTGOING_ALLOW_HOSTS)));
  return allow;
}

/** Reads and validates the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  const lines = errors.map((error) => `  ${error.property}=${JSON.stringify(error.value)}: ${Object.values(error.constraints ?? {}).join('; ')}`);
  const keyringError = checkKeyring(config);
  // The keys themselves are never echoed.
  if (keyringError) lines.push(`  DATA_ENCRYPTION_KEYS: ${keyringError}`);
  if (lines.length > 0) {
    throw new ConfigurationError(`Invalid configuration — fix these environment variables (see .env.example):\n${lines.join('\n')}`);
  }
  return config;
}

function checkKeyring(config: AppConfig): string | undefined {
  try {
    FieldKeyring.fromSettings(config);
    return undefined;
  } catch (error) {
    if (error instanceof FieldKeyringError) return error.message;
    throw error;
  }
}
