import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import {
  AuthCardDto,
  CreateEngineerDto,
  EngineerPageView,
  EngineerPrivilegesDto,
  EngineerView,
} from './dto/engineer.dto';
import { EngineersService, toEngineerView } from './engineers.service';

@ApiTags('admin: engineers')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('admin')
@Roles('admin')
export class EngineersAdminController {
  constructor(private readonly engineers: EngineersService) {}

  @Post('engineer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create an engineer (no privileges yet); password hashed with argon2id',
  })
  @ApiOkResponse({ type: EngineerView })
  @ApiConflictResponse({ description: 'ENGINEER_LOGIN_TAKEN' })
  async create(@Body() body: CreateEngineerDto): Promise<EngineerView> {
    return toEngineerView(await this.engineers.create(body.login, body.password));
  }

  @Get('engineers')
  @ApiOperation({ summary: 'List engineers, oldest first' })
  @ApiOkResponse({ type: EngineerPageView })
  list(@Query() query: PageQueryDto): Promise<Page<EngineerView>> {
    return this.engineers.list(pageWindow(query));
  }

  @Delete('engineers/:engineer_id')
  @ApiOperation({ summary: 'Delete an engineer and their card' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'ENGINEER_NOT_FOUND' })
  async remove(@UuidParam('engineer_id') engineerId: string): Promise<OkView> {
    await this.engineers.remove(engineerId);
    return OK;
  }

  @Put('engineer_privileges')
  @ApiOperation({ summary: "Replace an engineer's privileges with the listed ones" })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'ENGINEER_NOT_FOUND' })
  async setPrivileges(@Body() body: EngineerPrivilegesDto): Promise<OkView> {
    await this.engineers.setPrivileges(body.id, body.privileges);
    return OK;
  }

  @Put('engineer/:engineer_id/auth_card')
  @ApiOperation({ summary: "Set or (key null/empty) remove an engineer's RFID card" })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'ENGINEER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'AUTH_CARD_TAKEN: the card belongs to another engineer' })
  async setAuthCard(
    @UuidParam('engineer_id') engineerId: string,
    @Body() body: AuthCardDto,
  ): Promise<OkView> {
    await this.engineers.setAuthCard(engineerId, body.key);
    return OK;
  }
}
