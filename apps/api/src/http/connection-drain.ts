import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** How long a connection without a request in flight may still bring one once stopping. */
export const IDLE_LINGER_MS = 1_000;

/**
 * Stops the api's HTTP server without resetting a request. Node's own `server.close()` also
 * destroys every connection it deems idle at that instant: a keep-alive connection between two
 * requests, or a new one whose request is still in its buffer, and destroying a socket with
 * unread bytes resets it. So, once draining:
 *
 * - the listener closes (no new connections), and connections stay;
 * - every answer not yet begun says `Connection: close`: Node closes that connection after it,
 *   and the client opens a new one (to another replica) for its next request;
 * - an answer already under way with keep-alive: its connection is ended (FIN, after what is
 *   written) once the answer is done;
 * - a connection with no request in flight gets `IDLE_LINGER_MS` to bring one (which is then
 *   answered as above), and is ended after that.
 *
 * It tracks connections from the start, so build it before the server listens.
 */
export class ConnectionDrain {
  private draining = false;
  /** Each open connection with the answers it has under way. */
  private readonly connections = new Map<Socket, Set<ServerResponse>>();

  constructor(
    private readonly server: Server,
    private readonly lingerMs = IDLE_LINGER_MS,
  ) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, new Set());
      socket.once('close', () => this.connections.delete(socket));
    });
    // Before the application's own listener: the header must be set before it answers.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) =>
      this.track(request.socket, response),
    );
  }

  /** Stops listening and resolves once every connection has closed. */
  drain(): Promise<void> {
    this.draining = true;
    // net.Server's close, not http.Server's: that one destroys "idle" connections at once.
    const closed = new Promise<void>((resolve) =>
      NetServer.prototype.close.call(this.server, () => resolve()),
    );
    for (const [socket, answers] of this.connections) {
      for (const response of answers) {
        if (!response.headersSent) response.setHeader('Connection', 'close');
      }
      if (answers.size === 0) this.endWhenStillIdle(socket);
    }
    return closed;
  }

  private track(socket: Socket, response: ServerResponse): void {
    const answers = this.connections.get(socket);
    if (!answers) return;
    answers.add(response);
    if (this.draining) response.setHeader('Connection', 'close');
    response.once('close', () => {
      answers.delete(response);
      if (this.draining && answers.size === 0) socket.end();
    });
  }

  private endWhenStillIdle(socket: Socket): void {
    const timer = setTimeout(() => {
      if (this.connections.get(socket)?.size === 0) socket.end();
    }, this.lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }
}
