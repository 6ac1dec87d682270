import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@platform/auth';
import {
  DEPENDENCY_STATES,
  type DependencyState,
  SERVICE_NAMES,
  SERVICE_STATES,
  type ServiceName,
  type ServiceState,
  type ServiceStatusResponse,
} from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { ReadinessService } from './readiness.service';

/** The OpenAPI of a readiness answer (ServiceStatusResponse, the RPC contract's class, has none). */
class DependencyStatusView {
  @ApiProperty({ example: 'postgres' }) name!: string;
  @ApiProperty({ enum: DEPENDENCY_STATES }) state!: DependencyState;
  @ApiProperty({ minimum: 0 }) latencyMs!: number;
}

class ReadinessView implements ServiceStatusResponse {
  @ApiProperty({ enum: SERVICE_NAMES }) service!: ServiceName;
  @ApiProperty({ enum: SERVICE_STATES }) state!: ServiceState;
  @ApiProperty() version!: string;
  @ApiProperty({ minimum: 0 }) uptimeSeconds!: number;
  @ApiProperty({ type: [DependencyStatusView] }) dependencies!: DependencyStatusView[];
}

@ApiTags('health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
@Public()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'up' } } })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: every dependency (Postgres, Redis, ...) answers' })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; details list each one' })
  async ready(): Promise<ServiceStatusResponse> {
    const status = await this.readiness.status();
    if (status.state !== 'up') {
      const down = status.dependencies.filter((d) => d.state === 'down').map((d) => d.name);
      throw new DomainError('unavailable', 'NOT_READY', `Not ready: ${down.join(', ')} down`, {
        dependencies: status.dependencies,
      });
    }
    return status;
  }
}
