import { Controller, Get, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentDevice, DeviceAuth, type DevicePrincipal } from '@platform/auth';
import { OK, OkView, type Page, pageWindow, UuidParam } from '@platform/http';
import { TaskPageView, TasksQueryDto, TaskView } from './dto/task.dto';
import { TasksService } from './tasks.service';

/** A store terminal's kitchen queue: its own tasks only. */
@ApiTags('store terminal: tasks')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller('store')
@DeviceAuth('store')
export class TasksTerminalController {
  constructor(private readonly tasks: TasksService) {}

  @Get('tasks')
  @ApiOperation({
    summary: 'Its tasks, oldest first: open ones, or all with also_ready_tasks=true',
  })
  @ApiOkResponse({ type: TaskPageView })
  @ApiNotFoundResponse({ description: 'STORE_NOT_FOUND (the store was deleted)' })
  list(
    @CurrentDevice() store: DevicePrincipal,
    @Query() query: TasksQueryDto,
  ): Promise<Page<TaskView>> {
    return this.tasks.list(store.deviceId, pageWindow(query), query.also_ready_tasks ?? false);
  }

  // `task/{id}` too: the seed's console (deployed with the terminals) marks a task done there.
  @Put(['task/:task_id/ready', 'task/:task_id'])
  @ApiOperation({
    summary: 'Mark its own task ready (idempotent); publishes store.task.ready once',
  })
  @ApiOkResponse({ type: OkView })
  @ApiNotFoundResponse({
    description: "TASK_NOT_FOUND (also another store's task); STORE_NOT_FOUND (store deleted)",
  })
  async markReady(
    @CurrentDevice() store: DevicePrincipal,
    @UuidParam('task_id') taskId: string,
  ): Promise<OkView> {
    await this.tasks.markReady(store.deviceId, taskId);
    return OK;
  }
}
