import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidEnvironmentError, OptionalIntegerEnv, validateEnv } from './validate-env';

/** GitHub App ids and installation ids are positive integers; 2^53 keeps them exact in JS. */
const MAX_GITHUB_ID = Number.MAX_SAFE_INTEGER;

export class GithubAppEnvironment {
  @IsOptional()
  @Matches(/^[1-9]\d{0,15}$/, {
    message: 'GITHUB_APP_ID must be the GitHub App id, a positive integer (App settings, "App ID")',
  })
  GITHUB_APP_ID?: string;

  // Never echoed: class-validator's messages here name the rule, not the value.
  @IsOptional()
  @IsString({ message: 'GITHUB_APP_PRIVATE_KEY must be a PEM private key' })
  GITHUB_APP_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString({ message: 'GITHUB_APP_PRIVATE_KEY_FILE must be a file path' })
  GITHUB_APP_PRIVATE_KEY_FILE?: string;

  @OptionalIntegerEnv('GITHUB_APP_INSTALLATION_ID', 1, MAX_GITHUB_ID)
  GITHUB_APP_INSTALLATION_ID?: number;
}

/** The App's private key, held behind a function so that no log or dump of the config shows it. */
export type PrivateKeySource = () => string;

export interface GithubAppSettings {
  appId: number;
  privateKey: PrivateKeySource;
  /** The one installation to use; undefined: every installation GitHub lists for the App. */
  installationId: number | undefined;
}

/**
 * `GITHUB_APP_*`: the GitHub App the service authenticates as, or undefined (personal tokens or
 * none, as before). Checked whole at start-up: an id without a key, a key without an id, both key
 * variables, an unreadable file or something that is not a private key each stop the process with
 * a line naming the variable, and never the key.
 */
export const githubAppConfig = registerAs(
  'githubApp',
  (): { app: GithubAppSettings | undefined } => {
    const env = validateEnv(GithubAppEnvironment);
    const inline = env.GITHUB_APP_PRIVATE_KEY;
    const file = env.GITHUB_APP_PRIVATE_KEY_FILE;
    if (env.GITHUB_APP_ID === undefined) {
      const stray = [
        inline !== undefined && 'GITHUB_APP_PRIVATE_KEY',
        file !== undefined && 'GITHUB_APP_PRIVATE_KEY_FILE',
        env.GITHUB_APP_INSTALLATION_ID !== undefined && 'GITHUB_APP_INSTALLATION_ID',
      ].filter(Boolean);
      if (stray.length > 0) {
        throw new InvalidEnvironmentError(
          `Invalid environment variable GITHUB_APP_ID: required when ${stray.join(' or ')} is set`,
        );
      }
      return { app: undefined };
    }
    if (inline !== undefined && file !== undefined) {
      throw new InvalidEnvironmentError(
        'Invalid environment variable GITHUB_APP_PRIVATE_KEY_FILE: set it or GITHUB_APP_PRIVATE_KEY, not both',
      );
    }
    if (inline === undefined && file === undefined) {
      throw new InvalidEnvironmentError(
        'Invalid environment variable GITHUB_APP_PRIVATE_KEY: GITHUB_APP_ID needs the App private key (GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE)',
      );
    }
    const pem =
      inline !== undefined
        ? checkedKey(inline, 'GITHUB_APP_PRIVATE_KEY')
        : checkedKey(readKeyFile(file as string), 'GITHUB_APP_PRIVATE_KEY_FILE');
    return {
      app: {
        appId: Number(env.GITHUB_APP_ID),
        privateKey: () => pem,
        installationId: env.GITHUB_APP_INSTALLATION_ID,
      },
    };
  },
);

export type GithubAppConfig = ReturnType<typeof githubAppConfig>;

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidEnvironmentError(
      `Invalid environment variable GITHUB_APP_PRIVATE_KEY_FILE: cannot read ${path} (${code})`,
    );
  }
}

/**
 * The PEM with real line breaks (a `.env` or a compose file often carries `\n` escapes), checked to
 * be a private key GitHub could have issued (an RSA key, PKCS#1 as downloaded, or PKCS#8). Parsing
 * only: signing is @octokit/auth-app's.
 */
function checkedKey(value: string, variable: string): string {
  const pem = value.replace(/\\n/g, '\n').trim() + '\n';
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'rsa') {
    throw new InvalidEnvironmentError(
      `Invalid environment variable ${variable}: not an RSA private key in PEM form ("-----BEGIN RSA PRIVATE KEY-----" ... as GitHub's .pem file; \\n escapes accepted)`,
    );
  }
  return pem;
}
