import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { RedisConnections, socketIoRedisKey } from '@toonbank/platform';
import { INBOX_NAMESPACE } from '@toonbank/shared';
import type { Server, ServerOptions } from 'socket.io';
import { ResyncOnReconnect } from './resync-on-reconnect';

/**
 * socket.io over the Redis adapter: several API processes share rooms, and events that
 * workers publish through the Redis emitter reach sockets held by any of them. After its
 * Redis connections come back, the process sends its sockets `resync` (ResyncOnReconnect).
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly connections: RedisConnections;

  constructor(app: INestApplicationContext) {
    super(app);
    this.connections = app.get(RedisConnections);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, { ...options, serveClient: false }) as Server;
    const pub = this.connections.open('socket-pub');
    const sub = this.connections.open('socket-sub');
    server.adapter(createAdapter(pub, sub, { key: socketIoRedisKey(this.connections.prefix) }));
    // This process's sockets only: every api process has its own subscriber to judge by.
    new ResyncOnReconnect(sub, [pub], (reason) =>
      server.of(INBOX_NAMESPACE).local.emit('resync', { reason }),
    );
    return server;
  }
}
