import { loadEnvironment } from '@toonbank/platform';
import { Redis } from 'ioredis';
import { heartbeatKey } from './heartbeat';

/** Container health check of the worker: exits 0 while this host's heartbeat is fresh. */
async function main(): Promise<number> {
  const env = loadEnvironment(process.env);
  const redis = new Redis(env.REDIS_URL, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    return (await redis.exists(heartbeatKey(env.REDIS_PREFIX))) === 1 ? 0 : 1;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  () => process.exit(1),
);
