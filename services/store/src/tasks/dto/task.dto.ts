import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaView, PageQueryDto } from '@platform/http';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PurchaseView } from '../../purchases/dto/purchase.dto';

/** `?also_ready_tasks=` (false: open tasks only, the default) with the page. */
export class TasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
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
