import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { bootApp } from './boot-app';
import { TEST_REDIS_URL } from './test-redis';

/** An App key pair as GitHub makes it: the test keeps the private half, the fake the public one. */
export interface AppKey {
  /** PKCS#1 PEM, as GitHub's "Generate a private key" downloads it. */
  pem: string;
  publicKey: KeyObject;
}

export function newAppKey(): AppKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey };
}

export interface AppReplicaOptions {
  githubUrl: string;
  appId: number;
  key: AppKey;
  /** Shared by replicas that share a cache; each test file has its own. */
  keyPrefix: string;
  installationId?: number;
  token?: string;
  env?: Record<string, string | undefined>;
}

/** One instance of the service running as the App, on the test Redis. */
export function bootAppReplica(options: AppReplicaOptions): Promise<NestFastifyApplication> {
  return bootApp({
    githubUrl: options.githubUrl,
    token: options.token,
    env: {
      GITHUB_APP_ID: String(options.appId),
      // As an operator would put it in a .env file: one line, `\n` escapes.
      GITHUB_APP_PRIVATE_KEY: options.key.pem.trim().replace(/\n/g, '\\n'),
      GITHUB_APP_INSTALLATION_ID:
        options.installationId === undefined ? undefined : String(options.installationId),
      REDIS_URL: TEST_REDIS_URL,
      CACHE_KEY_PREFIX: options.keyPrefix,
      ...options.env,
    },
  });
}

/** `/github/rate-limit`'s entries. */
export interface BudgetEntry {
  fingerprint: string;
  limit: number;
  remaining: number;
  used: number;
  estimated: boolean;
}
