import 'reflect-metadata';
import { Logger as ContextLogger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type PlatformConfig } from '@platform/config';
import { Logger, LoggerModule } from 'nestjs-pino';
import { closeOnSignals } from '../bootstrap';
import { loggerParams } from '../logging';

/**
 * A service in miniature for shutdown.spec.ts: the platform's buffered logger and signal handling,
 * and a shutdown hook that logs. It prints `ready` (unbuffered) once the signal handlers are in.
 */
const config = { serviceName: 'fixture', version: '0', logLevel: 'info' } as PlatformConfig;

@Module({ imports: [LoggerModule.forRoot(loggerParams(config))] })
class FixtureModule implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    new ContextLogger('Fixture').log('shutdown hook ran');
  }
}

async function main(): Promise<void> {
  const app = await NestFactory.create(FixtureModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, 10_000);
  await app.init();
  new ContextLogger('Fixture').log('a line still in the buffer when the signal comes');
  process.stderr.write('ready\n');
}

void main();
