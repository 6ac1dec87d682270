import { ApiProperty } from '@nestjs/swagger';
import { IsOptionalBooleanWord, PageMetaView, PageQueryDto } from '@platform/http';
import { PurchaseView } from '../../purchases/dto/purchase.dto';

/**
 * `?also_ready_tasks=` (false: open tasks only, the default) with the page; the seed's terminal
 * sends `1`/`0`.
 */
export class TasksQueryDto extends PageQueryDto {
  @IsOptionalBooleanWord(false)
  also_ready_tasks?: boolean;
}

/** The seed's Task shape, plus `ready_at`. */
export class TaskView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: PurchaseView })
  purchase!: PurchaseView;

  @ApiProperty({ format: 'uuid' })
  store_id!: string;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty()
  is_ready!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'new' })
  ready_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  date!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  additional_data!: Record<string, unknown>;
}

export class TaskPageView extends PageMetaView {
  @ApiProperty({ type: [TaskView] })
  items!: TaskView[];
}
