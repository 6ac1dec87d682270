import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedRequest, Roles } from '@platform/auth';
import { IsDisplayName, UuidParam } from '@platform/http';
import { ApiKeysService, type ApiKeyView } from './api-keys.service';

export class CreateApiKeyDto {
  @IsDisplayName(100, { description: 'What the key is for, e.g. "trip-tracker"' })
  name!: string;
}

export class ApiKeyViewDto implements ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart' })
  keyPrefix!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyViewDto {
  @ApiProperty({ description: 'The key, shown this once: send it as Authorization: Bearer <key>' })
  key!: string;
}

@ApiTags('admin: API keys')
@Controller({ path: 'api-keys', version: '2' })
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API key (returned once; only its hash is stored)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(
    @Body() body: CreateApiKeyDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<CreatedApiKeyDto> {
    const principal = request.principal;
    const by = principal?.type === 'user' ? (principal.username ?? principal.subject) : 'unknown';
    return this.keys.create(body.name, by);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyViewDto] })
  list(): Promise<ApiKeyViewDto[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (at once; revoking twice is harmless)' })
  @ApiOkResponse({ type: ApiKeyViewDto })
  @ApiNotFoundResponse({ description: 'API_KEY_NOT_FOUND' })
  revoke(@UuidParam('id') id: string): Promise<ApiKeyViewDto> {
    return this.keys.revoke(id);
  }
}
