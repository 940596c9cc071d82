import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// The service helpers of `npm start` / `npm test` (CommonJS, plain node).
const services = createRequire(__filename)('../../scripts/lib/services.cjs') as {
  findFreePort(host?: string): Promise<number>;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True when something answers a Redis PING on this port (a raw socket: no client, no retries). */
export function redisAnswersOn(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('error', () => finish(false));
  });
}

/**
 * A redis-server of the test's own on a free port, in a temporary directory, keeping nothing
 * on disk unless asked to; it can be killed (an outage) and started again on the same port.
 * Never the shared one.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persist: boolean,
  ) {}

  /** `persist`: an append-only file written at every command, as production keeps queues across restarts. */
  static async start(options: { persist?: boolean } = {}): Promise<PrivateRedis> {
    const port = await services.findFreePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toonbank-test-redis-'));
    const redis = new PrivateRedis(port, dir, options.persist === true);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server (again) on its port and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    if (this.persist) args.push('--save', '', '--appendonly', 'yes', '--appendfsync', 'always');
    else args.push('--save', '', '--appendonly', 'no');
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    let failure: Error | null = null;
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    child.once('error', (error) => {
      failure = new Error(`cannot run redis-server (is it on PATH?): ${error.message}`);
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswersOn(this.port))) {
      if (failure) throw failure;
      if (!this.child) throw new Error(`redis-server exited at start on port ${this.port}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer`);
      await sleep(50);
    }
  }

  /** Kills the server (SIGKILL: an outage, not a polite shutdown) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await this.exited;
    this.child = null;
  }

  /** Stops the server for good and removes its directory. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
