import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ArgumentMetadata,
  BadRequestException,
  type DynamicModule,
  type INestApplication,
  Logger as ContextLogger,
  ValidationPipe,
  VersioningType,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type PlatformConfig } from '@platform/config';
import { PlatformExceptionFilter } from '@platform/errors';
import { redisTransportOptions } from '@platform/messaging';
import { type ValidationError } from 'class-validator';
import { Logger } from 'nestjs-pino';
import { BodyMediaTypeInterceptor } from './body-media-type';
import { answerClientErrorsWithJson } from './client-error';
import { allowOrigins } from './cors';
import { requestIdOf } from './logging';
import { dropOptionalNulls } from './optional-nulls';
import { refuseMethodsLiteralPathsDoNotTake } from './literal-path-methods';
import { jsonBodyParser, refuseNulInUrl } from './request-input';
import { strictOpenApi } from './strict-openapi';
import { documentValidationConstraints } from './validation-openapi';

export interface ServiceDefinition<C extends PlatformConfig = PlatformConfig> {
  /** Reads and validates the environment; throws ConfigValidationError. */
  loadConfig: () => C;
  rootModule: (config: C) => DynamicModule;
  /** URL prefix the gateway routes to this service, e.g. `base_api`. */
  apiPrefix: string;
  description: string;
  /** JSON body limit; face images need more than the default. */
  bodyLimit?: string;
  /**
   * Bearer credentials of the service's own (`@AlsoAccepts(kind)`), documented as OpenAPI
   * security schemes named by kind: kind → description.
   */
  credentialSchemes?: Readonly<Record<string, string>>;
}

/** Flattens nested class-validator errors into `field.path: constraint` lines. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((constraint) =>
      constraint.startsWith(error.property)
        ? `${parent ? `${parent}.` : ''}${constraint}`
        : `${path}: ${constraint}`,
    );
    return [...own, ...validationMessages(error.children ?? [], path)];
  });
}

/** The ValidationPipe of every service, which also reads an optional field's null as absent. */
class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body') dropOptionalNulls(validated);
    return validated;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new PlatformValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
  });
}

export function buildOpenApiDocument(
  app: INestApplication,
  definition: Pick<ServiceDefinition, 'description' | 'credentialSchemes'>,
  config: PlatformConfig,
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(`${config.serviceName} API`)
    .setDescription(definition.description)
    .setVersion(config.version)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Keycloak access token' },
      'keycloak',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Device session token' },
      'device',
    );
  for (const [kind, description] of Object.entries(definition.credentialSchemes ?? {})) {
    builder.addBearerAuth({ type: 'http', scheme: 'bearer', description }, kind);
  }
  const document = builder.build();
  // What the ValidationPipe enforces goes into the DTOs' @ApiProperty metadata first.
  documentValidationConstraints();
  return strictOpenApi(SwaggerModule.createDocument(app, document));
}

/** Applies everything that is the same for HTTP in every service; also used by tests. */
export function configureHttp(
  app: INestApplication,
  definition: Pick<ServiceDefinition, 'apiPrefix' | 'bodyLimit'>,
): void {
  // Hostile input is refused here, before routing, validation or any driver sees it.
  app.use(
    refuseNulInUrl,
    refuseMethodsLiteralPathsDoNotTake(),
    jsonBodyParser(definition.bodyLimit ?? '1mb'),
  );
  app.setGlobalPrefix(definition.apiPrefix);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new BodyMediaTypeInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new PlatformExceptionFilter());
}

/**
 * Starts a hybrid service: HTTP behind the gateway plus the Redis-transport RPC server, with
 * graceful shutdown on SIGTERM/SIGINT (stop taking work, drain, close connections).
 */
export async function bootstrapService<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
): Promise<void> {
  let config: C;
  try {
    config = definition.loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(definition.rootModule(config), {
    bufferLogs: true,
    bodyParser: false,
    forceCloseConnections: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  answerClientErrorsWithJson(app.getHttpServer());
  allowOrigins(app, config.http.corsOrigins);
  app.disable('x-powered-by');
  // No ETag: answers are per-request JSON nobody revalidates (the seed sent none), and Express
  // would hash every response body for it.
  app.disable('etag');
  // req.ip: the address the gateway saw (natively on loopback; in compose at its fixed address)
  app.set('trust proxy', [...config.http.trustedProxies]);
  // Assign the request id before the body parser runs, so even a malformed body's error carries it.
  app.use((req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    req.id = requestIdOf(req, res);
    next();
  });
  configureHttp(app, definition);
  SwaggerModule.setup(
    `${definition.apiPrefix}/docs`,
    app,
    buildOpenApiDocument(app, definition, config),
    {
      jsonDocumentUrl: `${definition.apiPrefix}/docs/openapi.json`,
    },
  );
  app.connectMicroservice<MicroserviceOptions>(redisTransportOptions(config.redis), {
    inheritAppConfig: true,
  });
  closeOnSignals(app, config.shutdownTimeoutMs);
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  lifecycle.log(
    { url: await app.getUrl(), prefix: definition.apiPrefix },
    `${config.serviceName} ready to serve`,
  );
}

/** Start and stop lines: with a context, so that the text is the line's `msg`. */
const lifecycle = new ContextLogger('Lifecycle');

/**
 * SIGTERM/SIGINT close the application (its shutdown hooks drain and close connections), then
 * exit; if draining hangs (a stuck connection), exit anyway rather than linger half-alive. Not
 * Nest's `enableShutdownHooks()`: it re-raises the signal after closing, and a process a signal
 * ends never emits 'exit', where the buffered log stream is flushed (logging.ts), so the last
 * lines, the shutdown's own among them, were lost at every stop.
 */
export function closeOnSignals(app: INestApplication, timeoutMs: number): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    lifecycle.log({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        lifecycle.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, close);
}
