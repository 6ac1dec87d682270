import { Module } from '@nestjs/common';
import { TaskEventsPublisher } from './task-events.publisher';

/** `store.task.ready`, published by purchases (ready at once) and by the terminal's tasks. */
@Module({ providers: [TaskEventsPublisher], exports: [TaskEventsPublisher] })
export class TaskEventsModule {}
