import { type INestApplication } from '@nestjs/common';
import { type CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/**
 * Cross-origin calls from the web pages of `origins` (CORS_ALLOWED_ORIGINS), and only those: any
 * other origin gets no CORS header, so its page cannot read an answer. Tokens travel in the
 * `Authorization` header, never in cookies, so credentials mode stays off. Registered before every
 * other middleware: a preflight is answered (204) before routing, guards or body parsing.
 */
export function allowOrigins(app: INestApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.enableCors(corsOptionsFor(origins));
}

function corsOptionsFor(origins: readonly string[]): CorsOptions {
  return {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    // what a client reads off an answer: its id, when to retry, why a token failed, deprecation
    exposedHeaders: [
      'X-Request-Id',
      'Retry-After',
      'WWW-Authenticate',
      'Allow',
      'Deprecation',
      'Link',
    ],
    credentials: false,
    maxAge: 600,
  };
}
