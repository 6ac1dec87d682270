import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@platform/auth';
import { errorCatalog } from '@platform/errors';
import { type Response } from 'express';
import { TelematicsConfig } from '../config/service.config';
import { IngestMetrics } from './ingest-metrics';

const metricsError = errorCatalog({ METRICS_NOT_EXPOSED: 'not_found' });

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus exposition at `/telematics_api/metrics`. Scraped on the service's own port (inside
 * the backend network, or 127.0.0.1 natively) it needs nothing. Through the gateway (nginx adds
 * X-Forwarded-For, which a client cannot strip) it answers only with `Authorization: Bearer
 * <METRICS_TOKEN>`, and is a 404 when no token is configured: connection counts and device
 * activity are not for the internet. Not in the OpenAPI document (not a client API).
 */
@ApiExcludeController()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: IngestMetrics,
    @Inject(TelematicsConfig) private readonly config: TelematicsConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('x-forwarded-for') forwardedFor: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (forwardedFor !== undefined) {
      const token = this.config.metricsToken;
      const given = authorization?.replace(/^Bearer\s+/i, '') ?? '';
      if (!token || !sameSecret(given, token)) {
        throw metricsError('METRICS_NOT_EXPOSED', 'No route for this path');
      }
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.send(await this.metrics.registry.metrics());
  }
}
