import Redis, { Cluster, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/** Host, port, credentials, database and TLS of a redis:// or rediss:// URL, as ioredis options. */
export function redisConnectionOptions(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers need this; producers then wait for Redis instead of failing at once.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  };
}

/** The seed nodes of REDIS_CLUSTER_NODES (`host:port,host:port`), or null when Redis is one server. */
export function redisClusterNodes(config: Pick<AppConfig, 'REDIS_CLUSTER_NODES'>): { host: string; port: number }[] | null {
  if (!config.REDIS_CLUSTER_NODES) return null;
  return config.REDIS_CLUSTER_NODES.split(',').map((node) => {
    const [host, port] = node.trim().split(/:(?=\d+$)/);
    return { host: host.replace(/^\[|\]$/g, ''), port: Number(port) };
  });
}

/**
 * A connection to the environment's Redis: the server of REDIS_URL, or the Redis Cluster of
 * REDIS_CLUSTER_NODES (each node reached with REDIS_URL's credentials and TLS). `options` are the
 * caller's (timeouts, offline queue, key prefix).
 */
export function createRedisClient(config: Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>, options: RedisOptions = {}): Redis | Cluster {
  const nodes = redisClusterNodes(config);
  if (!nodes) return new Redis({ ...redisConnectionOptions(config.REDIS_URL), ...options });
  const { host: _host, port: _port, db: _db, ...shared } = redisConnectionOptions(config.REDIS_URL);
  const { keyPrefix, lazyConnect, enableOfflineQueue, ...perNode } = options;
  return new Cluster(nodes, {
    redisOptions: { ...shared, ...perNode },
    keyPrefix,
    lazyConnect,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // A primary killed: its replica is promoted within the cluster's node timeout; keep asking meanwhile.
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
  });
}

/**
 * The BullMQ prefix of one queue. On one server, QUEUE_PREFIX as it is (the keys of existing
 * environments stay where they are). On a Redis Cluster, `<QUEUE_PREFIX>:{<queue>}`: every key of a
 * queue (BullMQ's Lua scripts touch several at once) shares the hash slot of its tag, and the queues
 * spread over the cluster's primaries.
 */
export function queuePrefix(config: Pick<AppConfig, 'QUEUE_PREFIX' | 'REDIS_CLUSTER_NODES'>, queue: string): string {
  if (config.REDIS_CLUSTER_NODES && /[{}]/.test(config.QUEUE_PREFIX)) {
    throw new Error(
      `QUEUE_PREFIX ${config.QUEUE_PREFIX} holds braces: on a Redis Cluster every queue gets its own hash tag, and a tag in the prefix would put them all on one primary. Remove the braces.`,
    );
  }
  return config.REDIS_CLUSTER_NODES ? `${config.QUEUE_PREFIX}:{${queue}}` : config.QUEUE_PREFIX;
}
