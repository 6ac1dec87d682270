import { type INestApplication, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  DEVICE_SESSION_VERIFIER,
  type DevicePrincipal,
  KEYCLOAK_KEY_RESOLVER,
  KEYCLOAK_VERIFY_OPTIONS,
  KeycloakTokenVerifier,
  PlatformAuthGuard,
} from '@platform/auth';
import { DomainError } from '@platform/errors';
import { configureHttp, type ServiceDefinition } from '@platform/runtime';
import { type JWTVerifyGetKey } from 'jose';

/** For specs only: controllers behind the real guard, validation pipe and error filter. */
export interface HttpHarness {
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<[number, HarnessBody]>;
  close(): Promise<void>;
}

export type HarnessBody = Record<string, unknown> & { code?: string; message?: string };

export interface HarnessOptions {
  controllers: Type[];
  providers: Provider[];
  keycloak: { keyResolver: JWTVerifyGetKey; issuer: string; audience: string };
  /** Device session tokens the fake verifier accepts. */
  devices?: Record<string, Omit<DevicePrincipal, 'type'>>;
}

export async function startHttpHarness(options: HarnessOptions): Promise<HttpHarness> {
  const devices = options.devices ?? {};
  const moduleRef = await Test.createTestingModule({
    controllers: options.controllers,
    providers: [
      ...options.providers,
      { provide: KEYCLOAK_KEY_RESOLVER, useValue: options.keycloak.keyResolver },
      {
        provide: KEYCLOAK_VERIFY_OPTIONS,
        useValue: { issuer: options.keycloak.issuer, audience: options.keycloak.audience },
      },
      KeycloakTokenVerifier,
      {
        provide: DEVICE_SESSION_VERIFIER,
        useValue: {
          verify: async (token: string): Promise<DevicePrincipal> => {
            const device = devices[token];
            if (!device) {
              throw new DomainError('unauthenticated', 'INVALID_SESSION', 'Invalid session');
            }
            return { type: 'device', ...device };
          },
        },
      },
      { provide: APP_GUARD, useClass: PlatformAuthGuard },
    ],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  configureHttp(app, { apiPrefix: 'base_api' } as ServiceDefinition);
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}/base_api/v1`;
  return {
    async call(method, path, { token, body } = {}) {
      const headers: Record<string, string> = {};
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      const text = await response.text();
      return [response.status, (text ? JSON.parse(text) : {}) as HarnessBody];
    },
    close: () => app.close(),
  };
}

/** A stand-in for a service: every method is a jest-free recorder that answers `answer`. */
export function recorder<T extends object>(
  methods: Record<string, unknown>,
): T & { calls: string[] } {
  const calls: string[] = [];
  const target: Record<string, unknown> = { calls };
  for (const [name, answer] of Object.entries(methods)) {
    target[name] = async () => {
      calls.push(name);
      return typeof answer === 'function' ? (answer as () => unknown)() : answer;
    };
  }
  return target as T & { calls: string[] };
}
