import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { OK, OkView, type Page, PageQueryDto, pageWindow, UuidParam } from '@platform/http';
import {
  CreateUserDto,
  KeycloakLinkDto,
  UserFaceDto,
  UserFaceQueryDto,
  UserPageView,
  UserView,
} from './dto/user.dto';
import { ApiFaceEnrolmentRefusals } from '../common/remote/face-enrolment.openapi';
import { toUserView, UsersService } from './users.service';

@ApiTags('admin: users')
@ApiBadRequestResponse({ description: 'Invalid input (unknown fields, lengths, non-UUID ids)' })
@Controller('admin')
@Roles('admin')
export class UsersAdminController {
  constructor(private readonly users: UsersService) {}

  @Post('user')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a passenger, optionally enrolling their face' })
  @ApiOkResponse({ type: UserView })
  @ApiFaceEnrolmentRefusals()
  async create(@Body() body: CreateUserDto): Promise<UserView> {
    return toUserView(await this.users.create(body.name, body.face));
  }

  @Get('users')
  @ApiOperation({ summary: 'List passengers, oldest first' })
  @ApiOkResponse({ type: UserPageView })
  list(@Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.list(pageWindow(query));
  }

  @Delete('users/:user_id')
  @ApiOperation({ summary: 'Delete a passenger, their tickets and their face' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  async remove(@UuidParam('user_id') userId: string): Promise<OkView> {
    await this.users.remove(userId);
    return OK;
  }

  @Post('keycloak_user')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link a Keycloak account to a user' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'KEYCLOAK_LINK_EXISTS: either side is linked elsewhere' })
  async linkKeycloakAccount(@Body() body: KeycloakLinkDto): Promise<OkView> {
    await this.users.linkKeycloakAccount(body.k_id, body.user_id);
    return OK;
  }

  @Delete('keycloak_user')
  @ApiOperation({ summary: 'Unlink a Keycloak account from a user (body as in the seed)' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'KEYCLOAK_LINK_NOT_FOUND' })
  async unlinkKeycloakAccount(@Body() body: KeycloakLinkDto): Promise<OkView> {
    await this.users.unlinkKeycloakAccount(body.k_id, body.user_id);
    return OK;
  }

  @Patch('user/:user_id/face')
  @ApiOperation({ summary: "Enrol or replace a passenger's face" })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiFaceEnrolmentRefusals()
  async setFace(@UuidParam('user_id') userId: string, @Body() body: UserFaceDto): Promise<OkView> {
    await this.users.setFace(userId, body.face);
    return OK;
  }

  @Delete('user/face')
  @ApiOperation({ summary: "Forget a passenger's face" })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiServiceUnavailableResponse({ description: 'FACE_SERVICE_UNAVAILABLE' })
  async deleteFace(@Query() query: UserFaceQueryDto): Promise<OkView> {
    await this.users.deleteFace(query.user_id);
    return OK;
  }
}
