import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import {
  OK,
  OkView,
  type Page,
  PageQueryDto,
  pageViewOf,
  pageWindow,
  UuidParam,
} from '@platform/http';
import { ANY_PERSON, STAFF } from '../fsm/actor';
import { FsmService } from '../fsm/fsm.service';
import { CellView } from '../fsm/views';
import {
  CellCreationDto,
  CellQueryDto,
  LockerCreationDto,
  LockerModelCreationDto,
  LockerModelView,
  LockerQueryDto,
  LockerView,
} from './lockers.dto';
import { LockersService } from './lockers.service';

/** Locker models, lockers and cells: staff manage them; anyone logged in may list lockers. */
@ApiTags('lockers')
@Controller()
export class LockersController {
  constructor(
    private readonly lockers: LockersService,
    private readonly fsm: FsmService,
  ) {}

  @Post('locker-models')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Create a locker model' })
  @ApiOkResponse({ type: LockerModelView })
  @ApiConflictResponse({ description: 'LOCKER_MODEL_NAME_TAKEN' })
  createModel(@Body() body: LockerModelCreationDto): Promise<LockerModelView> {
    return this.lockers.createModel(body);
  }

  @Get('locker-models')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Locker models (paged)' })
  @ApiOkResponse({ type: pageViewOf(LockerModelView) })
  models(@Query() query: PageQueryDto): Promise<Page<LockerModelView>> {
    return this.lockers.models(pageWindow(query));
  }

  @Delete('locker-models/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Delete a locker model no locker uses' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'LOCKER_MODEL_NOT_FOUND' })
  @ApiConflictResponse({ description: 'LOCKER_IN_USE' })
  async deleteModel(@UuidParam('id') id: string): Promise<OkView> {
    await this.lockers.deleteModel(id);
    return OK;
  }

  @Post('lockers')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Create a locker (its id is the device id of its controller)' })
  @ApiOkResponse({ type: LockerView })
  @ApiNotFoundResponse({ description: 'LOCKER_MODEL_NOT_FOUND' })
  @ApiConflictResponse({ description: 'LOCKER_CODE_TAKEN' })
  createLocker(@Body() body: LockerCreationDto): Promise<LockerView> {
    return this.lockers.createLocker(body);
  }

  @Get('lockers')
  @Roles(...ANY_PERSON)
  @ApiOperation({ summary: 'Lockers, optionally in one city (paged)' })
  @ApiOkResponse({ type: pageViewOf(LockerView) })
  lockerList(@Query() query: LockerQueryDto): Promise<Page<LockerView>> {
    return this.lockers.lockers(pageWindow(query), query.city);
  }

  @Get('lockers/:id')
  @Roles(...ANY_PERSON)
  @ApiOperation({ summary: 'One locker' })
  @ApiOkResponse({ type: LockerView })
  @ApiNotFoundResponse({ description: 'LOCKER_NOT_FOUND' })
  locker(@UuidParam('id') id: string): Promise<LockerView> {
    return this.lockers.locker(id);
  }

  @Delete('lockers/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Delete a locker whose cells were never used' })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({ description: 'LOCKER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'LOCKER_IN_USE' })
  async deleteLocker(@UuidParam('id') id: string): Promise<OkView> {
    await this.lockers.deleteLocker(id);
    return OK;
  }

  @Post('lockers/:id/cells')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Add a cell to a locker (it starts free)' })
  @ApiOkResponse({ type: CellView })
  @ApiNotFoundResponse({ description: 'LOCKER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'CELL_CODE_TAKEN' })
  createCell(@UuidParam('id') id: string, @Body() body: CellCreationDto): Promise<CellView> {
    return this.lockers.createCell(id, body);
  }

  @Get('lockers/:id/cells')
  @Roles(...STAFF)
  @ApiOperation({ summary: "A locker's cells, optionally by state and size (paged)" })
  @ApiOkResponse({ type: pageViewOf(CellView) })
  @ApiNotFoundResponse({ description: 'LOCKER_NOT_FOUND' })
  cells(@UuidParam('id') id: string, @Query() query: CellQueryDto): Promise<Page<CellView>> {
    return this.lockers.cells(id, pageWindow(query), {
      ...(query.state ? { state: query.state } : {}),
      ...(query.cell_size ? { size: query.cell_size } : {}),
    });
  }

  @Get('cells/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One cell, with the order holding it' })
  @ApiOkResponse({ type: CellView })
  @ApiNotFoundResponse({ description: 'CELL_NOT_FOUND' })
  cell(@UuidParam('id') id: string): Promise<CellView> {
    return this.fsm.cellView(id);
  }
}
