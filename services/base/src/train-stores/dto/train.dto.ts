import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { STORE_TYPES, type StoreType, MaxTextLength } from '@platform/contracts';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { FromDecimalText, PageQueryDto, PageMetaView } from '@platform/http';
import { IsTrainDateString } from '../../common/validators';

const TRAIN_DATE_DESCRIPTION =
  "The train's departure day: 2026-11-22, or a date-time whose Moscow calendar day is taken";

/** A train on a day, in a JSON body (required). */
export class TrainRefDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number!: number;

  @ApiProperty({ description: TRAIN_DATE_DESCRIPTION, example: '2026-11-22' })
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsTrainDateString()
  train_date!: string;
}

/** A train on a day in a GET/DELETE body, which the seed used; optional so a query can say it. */
export class OptionalTrainRefBody {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number?: number;

  @ApiPropertyOptional({ description: TRAIN_DATE_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsTrainDateString()
  train_date?: string;
}

/** `?train_number=&train_date=`: the query equivalent of the seed's GET-with-body. */
export class TrainRefQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: LIMITS.int32Max })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number?: number;

  @ApiPropertyOptional({ description: TRAIN_DATE_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsTrainDateString()
  train_date?: string;
}

/** `/robot/train/{train_number}/stores`: the train number in the path. */
export class TrainNumberParams {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: LIMITS.int32Max })
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(LIMITS.int32Max)
  train_number!: number;
}

/** `?train_date=` (default: today, Moscow calendar) with the page. */
export class TrainDayPageQuery extends PageQueryDto {
  @ApiPropertyOptional({
    description: `${TRAIN_DATE_DESCRIPTION}; default: today (Moscow)`,
    maxLength: LIMITS.dateText,
  })
  @IsOptional()
  @IsString()
  @MaxTextLength(LIMITS.dateText)
  @IsTrainDateString()
  train_date?: string;
}

/** Both at once; mapped types carry the validation and transformation rules of each. */
export class PagedTrainRefQuery extends IntersectionType(PageQueryDto, TrainRefQuery) {}

/** The seed's Store shape, without items (`items: []`) as the seed's robot list had it. */
export class StoreView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  logo_url!: string;

  @ApiProperty({ enum: STORE_TYPES })
  store_type!: StoreType;

  @ApiProperty({ type: [Object], example: [] })
  items!: never[];
}

export class StoreIdPageView extends PageMetaView {
  @ApiProperty({ type: [String], description: 'Store ids' })
  items!: string[];
}
