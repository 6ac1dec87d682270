import { Inject, Injectable } from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import { type ServiceName, type ServiceStatusResponse } from '@platform/contracts';
import { DEPENDENCY_PROBES, type DependencyProbe, runProbe } from './dependency-probe';

const PROBE_TIMEOUT_MS = 1500;

/** Checks every dependency in parallel; the answer feeds readiness (HTTP) and status (RPC). */
@Injectable()
export class ReadinessService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: PlatformConfig,
    @Inject(DEPENDENCY_PROBES) private readonly probes: DependencyProbe[],
  ) {}

  async status(): Promise<ServiceStatusResponse> {
    const dependencies = await Promise.all(
      this.probes.map((probe) => runProbe(probe, PROBE_TIMEOUT_MS)),
    );
    return {
      service: this.config.serviceName as ServiceName,
      state: dependencies.every((d) => d.state === 'up') ? 'up' : 'degraded',
      version: this.config.version,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      dependencies,
    };
  }
}
