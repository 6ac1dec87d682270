import { Controller, Get } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { PlatformStatusView } from './dto/platform-status.dto';
import { SystemStatusService } from './system-status.service';

@ApiTags('system')
@Controller('system')
@Roles('admin')
export class SystemController {
  constructor(private readonly systemStatus: SystemStatusService) {}

  @Get('status')
  @ApiOperation({ summary: 'Health of every service of the platform, asked over Redis (admin)' })
  @ApiOkResponse({ type: PlatformStatusView })
  @ApiUnauthorizedResponse({ description: 'No or invalid Keycloak token' })
  @ApiForbiddenResponse({ description: 'Token without the admin role' })
  status(): Promise<PlatformStatusView> {
    return this.systemStatus.platformStatus();
  }
}
