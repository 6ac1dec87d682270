import { z } from 'zod';
import { parseEnv } from './parse-env';

const port = z.coerce.number().int().min(1).max(65535);
const positiveMs = z.coerce.number().int().positive();

/**
 * Who may tell a service the client's address (X-Forwarded-For): the gateway. Express's names
 * (`loopback`, `linklocal`, `uniquelocal`) or addresses/CIDRs, comma-separated. Never a whole
 * client network: a client in a trusted range could then pick its own address.
 */
const trustedProxies = z
  .string()
  .transform((text) => text.split(',').map((entry) => entry.trim()))
  .pipe(
    z
      .array(
        z.union([
          z.enum(['loopback', 'linklocal', 'uniquelocal']),
          z.ipv4(),
          z.ipv6(),
          z.cidrv4(),
          z.cidrv6(),
        ]),
      )
      .min(1),
  );

/**
 * Web origins whose pages may call the API from a browser (CORS), comma-separated, each exactly
 * as a browser sends it (`https://app.example.com`, `http://localhost:5173`: scheme, host and a
 * port, no path). Empty, the default: none, as when the web app is served from the gateway's own
 * origin. Never `*`: every route takes credentials.
 */
const corsOrigins = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .pipe(
    z.array(
      z
        .url({ protocol: /^https?$/ })
        .refine((url) => URL.canParse(url) && new URL(url).origin === url, {
          message: 'an origin is scheme://host[:port], without a path or a trailing slash',
        }),
    ),
  );

/** Environment every service reads. Service-specific variables extend this schema. */
export const platformEnvSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port,
  TRUSTED_PROXIES: trustedProxies.default(['loopback']),
  CORS_ALLOWED_ORIGINS: corsOrigins.default([]),
  DATABASE_HOST: z.string().min(1),
  DATABASE_PORT: port.default(5432),
  DATABASE_NAME: z.string().min(1),
  DATABASE_USER: z.string().min(1),
  DATABASE_PASSWORD: z.string().min(1),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_HOST: z.string().min(1),
  REDIS_PORT: port.default(6379),
  REDIS_PASSWORD: z.string().min(1).optional(),
  KEYCLOAK_ISSUER: z.url(),
  KEYCLOAK_JWKS_URL: z.url(),
  KEYCLOAK_AUDIENCE: z.string().min(1),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  RPC_TIMEOUT_MS: positiveMs.default(2000),
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10000),
});

export type PlatformEnv = z.infer<typeof platformEnvSchema>;

export interface DatabaseConfig {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  poolSize: number;
}

export interface RedisConfig {
  host: string;
  port: number;
  password: string | undefined;
}

export interface KeycloakConfig {
  issuer: string;
  jwksUrl: string;
  audience: string;
}

/**
 * The validated, frozen (by the loaders) configuration of a service. It is the DI token too: inject `PlatformConfig`
 * wherever a setting is needed; nothing else reads `process.env`.
 */
export class PlatformConfig {
  readonly http: {
    host: string;
    port: number;
    trustedProxies: readonly string[];
    corsOrigins: readonly string[];
  };
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly keycloak: KeycloakConfig;
  readonly logLevel: PlatformEnv['LOG_LEVEL'];
  readonly environment: PlatformEnv['NODE_ENV'];
  readonly rpcTimeoutMs: number;
  readonly shutdownTimeoutMs: number;

  readonly version: string;

  constructor(
    readonly serviceName: string,
    env: PlatformEnv,
  ) {
    this.version = env.SERVICE_VERSION;
    this.http = {
      host: env.HTTP_HOST,
      port: env.HTTP_PORT,
      trustedProxies: env.TRUSTED_PROXIES,
      corsOrigins: env.CORS_ALLOWED_ORIGINS,
    };
    this.database = {
      host: env.DATABASE_HOST,
      port: env.DATABASE_PORT,
      database: env.DATABASE_NAME,
      username: env.DATABASE_USER,
      password: env.DATABASE_PASSWORD,
      poolSize: env.DATABASE_POOL_SIZE,
    };
    this.redis = { host: env.REDIS_HOST, port: env.REDIS_PORT, password: env.REDIS_PASSWORD };
    this.keycloak = {
      issuer: env.KEYCLOAK_ISSUER,
      jwksUrl: env.KEYCLOAK_JWKS_URL,
      audience: env.KEYCLOAK_AUDIENCE,
    };
    this.logLevel = env.LOG_LEVEL;
    this.environment = env.NODE_ENV;
    this.rpcTimeoutMs = env.RPC_TIMEOUT_MS;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS;
  }
}

/** Reads the environment of a service that needs nothing beyond the platform's settings. */
export function loadPlatformConfig(serviceName: string, env: NodeJS.ProcessEnv): PlatformConfig {
  return Object.freeze(
    new PlatformConfig(serviceName, parseEnv(serviceName, platformEnvSchema, env)),
  );
}
