import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@platform/auth';
import { ServiceStatusResponse } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { ReadinessService } from './readiness.service';

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
  @ApiOkResponse({ type: ServiceStatusResponse })
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
