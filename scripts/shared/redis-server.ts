import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, isRunning, spawnNode, trackGuarded } from './child-processes';

const CHILD_GUARD = join(__dirname, 'child-guard.cjs');
const START_TIMEOUT_MS = 5_000;

export interface PrivateRedisOptions {
  /** `--requirepass`: clients must authenticate; `url` then carries it (`redis://:password@...`). */
  password?: string;
  /**
   * TLS only (`--tls-port`, no plain port), with this certificate and key (PEM files) for
   * 127.0.0.1; `url` is then `rediss://`. Clients are not asked for a certificate. `ca` is the
   * PEM of the authority that signed `certFile`, for the start-up check.
   */
  tls?: { certFile: string; keyFile: string; ca: string };
}

/**
 * A private redis-server on a free 127.0.0.1 port, without persistence (a restart comes back
 * empty, like a replaced cache node), run under child-guard.cjs so it dies with this process even
 * after a SIGKILL. `kill()` is a crash, `restart()` brings it back on the same port.
 */
export class PrivateRedis {
  private guard: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly dir = mkdtempSync(join(tmpdir(), 'private-redis-'));
  /** redis-server's own pid (not its guard's) while it runs. */
  pid: number | undefined;

  private constructor(
    readonly port: number,
    private readonly logFile: string,
    private readonly options: PrivateRedisOptions,
  ) {}

  /** `logFile` gets redis-server's output ('/dev/null' unless told). */
  static async start(
    logFile = '/dev/null',
    options: PrivateRedisOptions = {},
  ): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), logFile, options);
    await redis.restart();
    return redis;
  }

  /** The URL a client needs: with the password and `rediss://` when the server has them. */
  get url(): string {
    const scheme = this.options.tls ? 'rediss' : 'redis';
    const auth =
      this.options.password === undefined ? '' : `:${encodeURIComponent(this.options.password)}@`;
    return `${scheme}://${auth}127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.guard !== undefined && isRunning(this.guard);
  }

  /** Starts the server (again) on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.running) {
      throw new Error('PrivateRedis is already running');
    }
    const { password, tls } = this.options;
    const listen = tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const guard = spawnNode({
      script: CHILD_GUARD,
      args: [
        'redis-server',
        ...listen,
        ...['--bind', '127.0.0.1', '--protected-mode', 'yes'],
        ...['--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', this.dir],
        ...(tls ? ['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile] : []),
        ...(password === undefined ? [] : ['--requirepass', password]),
      ],
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '' },
      stdout: this.logFile,
      stderr: this.logFile,
    });
    this.guard = guard;
    this.exited = new Promise((resolve) => guard.once('exit', () => resolve()));
    try {
      this.pid = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('redis-server did not start within 5 s')),
          START_TIMEOUT_MS,
        );
        guard.once('message', (message: { pid?: number; error?: string }) => {
          clearTimeout(timer);
          if (message.pid) {
            resolve(message.pid);
          } else {
            reject(new Error(`redis-server could not start: ${message.error ?? 'unknown'}`));
          }
        });
      });
      trackGuarded(guard, this.pid);
      const deadline = performance.now() + START_TIMEOUT_MS;
      while (!(await answersPing(this.port, tls?.ca))) {
        if (performance.now() > deadline || !this.running) {
          throw new Error(`redis-server on port ${this.port} did not answer PING within 5 s`);
        }
        await sleep(25);
      }
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  /** SIGKILL to redis-server itself, as a crash: no goodbye to the clients. Its guard exits with it. */
  async kill(): Promise<void> {
    if (this.pid !== undefined) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    } else if (this.running) {
      this.guard?.kill('SIGKILL');
    }
    await this.exited;
    this.pid = undefined;
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether a Redis answers on the port: PONG, or NOAUTH from one that asks for a password. */
function answersPing(port: number, tlsCa: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket =
      tlsCa === undefined
        ? connect(port, '127.0.0.1')
        : connectTls({ port, host: '127.0.0.1', ca: tlsCa });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(data.toString('latin1'))));
    const ping = (): void => {
      socket.write('PING\r\n');
    };
    if (tlsCa === undefined) {
      socket.once('connect', ping);
    } else {
      socket.once('secureConnect', ping);
    }
  });
}
