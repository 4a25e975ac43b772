import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away `redis-server` child on a free port, so a test can kill and restart "the" Redis
 * without touching the shared one on 6379. No persistence: a restart comes back empty, like a
 * replaced cache node. `stop()` must run in `afterAll`; an exit hook kills it if Jest dies first.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'cache-e2e-redis-'));
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    process.once('exit', redis.killOnExit);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server (again) on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.child) {
      throw new Error('PrivateRedis is already running');
    }
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) {
        this.child = undefined;
      }
    });
    const deadline = Date.now() + 5000;
    while (!(await answersPing(this.port))) {
      if (Date.now() > deadline || this.child !== child) {
        await this.kill();
        throw new Error(`redis-server did not start on port ${this.port}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** SIGKILL, as a crash or a lost node: no goodbye to the clients. Resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    process.removeListener('exit', this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}
