import { Injectable } from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import {
  SERVICE_NAMES,
  type ServiceName,
  ServiceStatusResponse,
  systemStatusPattern,
} from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { RpcClient } from '@platform/messaging';
import { ReadinessService } from '@platform/runtime';
import { type PlatformStatusView, type ServiceStatusView } from './dto/platform-status.dto';

/**
 * The whole platform's health: this service checks itself, asks every other one over Redis in
 * parallel, and reports a service that does not answer in time as down instead of waiting on it.
 */
@Injectable()
export class SystemStatusService {
  constructor(
    private readonly config: PlatformConfig,
    private readonly readiness: ReadinessService,
    private readonly rpc: RpcClient,
  ) {}

  async platformStatus(): Promise<PlatformStatusView> {
    const services = await Promise.all(SERVICE_NAMES.map((service) => this.statusOf(service)));
    const state = services.every((s) => s.state === 'up')
      ? 'up'
      : services.some((s) => s.state !== 'down')
        ? 'degraded'
        : 'down';
    return { state, checkedAt: new Date().toISOString(), services };
  }

  private async statusOf(service: ServiceName): Promise<ServiceStatusView> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const status =
        service === this.config.serviceName
          ? await this.readiness.status()
          : await this.rpc.send(
              systemStatusPattern(service),
              {},
              { responseType: ServiceStatusResponse },
            );
      return { ...status, responseMs: elapsed() };
    } catch (error) {
      return {
        service,
        state: 'down',
        version: null,
        uptimeSeconds: null,
        dependencies: [],
        responseMs: elapsed(),
        error: error instanceof DomainError ? error.message : 'status call failed',
      };
    }
  }
}
