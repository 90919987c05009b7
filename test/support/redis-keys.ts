import Redis from 'ioredis';

/**
 * Deletes every key under one BullMQ prefix (`<prefix>:*`) with SCAN + DEL — what a Redis restart
 * without persistence does to one environment. Never FLUSHALL: the Redis server is shared.
 * Returns how many keys were deleted.
 */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9{}_-][A-Za-z0-9:{}_-]*$/.test(prefix)) throw new Error(`Refusing to delete keys of an unusual prefix: ${prefix}`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** How many keys exist under a prefix. */
export async function countQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  } finally {
    redis.disconnect();
  }
}
