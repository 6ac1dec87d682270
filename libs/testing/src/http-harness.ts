import {
  type INestApplication,
  type ModuleMetadata,
  type Provider,
  type Type,
} from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { type TestDevices, testAuthProviders, type TestKeycloak } from '@platform/auth/testing';
import { configureHttp } from '@platform/runtime';

export type HarnessBody = Record<string, unknown> & { code?: string; message?: string };

/** For specs only: a service's routes over real HTTP, behind the real guard, pipe and filter. */
export interface HttpHarness {
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<[number, HarnessBody]>;
  /** The compiled application, e.g. to reach a provider. */
  app: INestApplication;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The service's URL prefix, e.g. `base_api`: paths are called under `/<apiPrefix>/v1`. */
  apiPrefix: string;
  /** What to compile: the real feature modules, or controllers with stand-in providers. */
  imports?: ModuleMetadata['imports'];
  controllers?: Type[];
  providers?: Provider[];
  keycloak: TestKeycloak;
  /** Device session tokens the fake verifier accepts. */
  devices?: TestDevices;
  /** False when the compiled modules provide DEVICE_SESSION_VERIFIER themselves. */
  deviceSessions?: boolean;
  /** Replaces the external ports of the compiled modules (repositories, Redis, other services). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export async function startHttpHarness(options: HarnessOptions): Promise<HttpHarness> {
  const builder = Test.createTestingModule({
    imports: options.imports ?? [],
    controllers: options.controllers ?? [],
    providers: [
      ...(options.providers ?? []),
      ...testAuthProviders({
        keycloak: options.keycloak,
        devices: options.devices ?? {},
        deviceSessions: options.deviceSessions ?? true,
      }),
    ],
  });
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  configureHttp(app, { apiPrefix: options.apiPrefix });
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}/${options.apiPrefix}/v1`;
  return {
    app,
    async call(method, path, { token, body, headers = {} } = {}) {
      const sent: Record<string, string> = { ...headers };
      if (token) sent['authorization'] = `Bearer ${token}`;
      if (body !== undefined) sent['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers: sent,
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
