import { Body, Controller, Get, type INestApplication, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiProperty, ApiPropertyOptional, SwaggerModule } from '@nestjs/swagger';
import { TextLength } from '@platform/contracts';
import { IsDateTime, UUID_PATTERN } from '@platform/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBase64,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { documentValidationConstraints, propertySchemaOf } from './validation-openapi';

class SampleSeatDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(30)
  wagon!: number;
}

/** Declares almost nothing in @ApiProperty: the document must learn it all from validation. */
class SampleBodyDto extends SampleSeatDto {
  @ApiProperty()
  @IsUUID()
  user_id!: string;

  @ApiProperty({ description: 'kept' })
  @IsString()
  @TextLength(1, 60)
  @Matches(/^\S(.*\S)?$/)
  name!: string;

  @ApiProperty()
  @IsString()
  @TextLength(8, 256)
  password!: string;

  @ApiProperty({ nullable: true })
  @IsOptional()
  @IsString()
  @IsBase64()
  face?: string | null;

  @ApiProperty()
  @IsDateTime()
  at!: string;

  @ApiProperty()
  @IsIn(['SHOP', 'RESTAURANT'])
  kind!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(['A', 'B'], { each: true })
  privileges!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @IsUUID('all', { each: true })
  ids!: string[];

  @ApiProperty({ type: () => SampleSeatDto })
  @ValidateNested()
  @Type(() => SampleSeatDto)
  seat!: SampleSeatDto;

  @ApiPropertyOptional()
  @IsBoolean()
  flag!: boolean;

  @ApiProperty({ maximum: 10 })
  @IsInt()
  @Max(99)
  says_ten_validates_ninety_nine!: number;

  @Matches(/x/i)
  @ApiProperty()
  @IsString()
  flagged_pattern!: string;

  // Validated but not documented: stays out of the document.
  @IsString()
  hidden!: string;
}

class SampleQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  size?: number;
}

@Controller('samples')
class SampleController {
  @Post()
  create(@Body() body: SampleBodyDto): SampleBodyDto {
    return body;
  }

  @Get()
  list(@Query() query: SampleQueryDto): SampleQueryDto {
    return query;
  }
}

describe('documentValidationConstraints', () => {
  let app: INestApplication;
  let schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
  let parameters: { name: string; required: boolean; schema: unknown }[];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [SampleController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    documentValidationConstraints();
    // Twice: building a document again changes nothing.
    documentValidationConstraints();
    const document = SwaggerModule.createDocument(app, {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
    });
    schemas = document.components?.schemas as typeof schemas;
    parameters = document.paths['/samples']?.get?.parameters as typeof parameters;
  });

  afterAll(async () => {
    await app.close();
  });

  it('documents what each validator enforces on a request body', () => {
    const body = schemas['SampleBodyDto'];
    expect(body?.properties).toEqual({
      wagon: { type: 'integer', minimum: 1, maximum: 30 },
      user_id: { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
      name: {
        type: 'string',
        description: 'kept',
        minLength: 1,
        maxLength: 60,
        pattern: '^\\S(.*\\S)?$',
      },
      password: { type: 'string', minLength: 8, maxLength: 256 },
      face: { type: 'string', nullable: true, format: 'byte' },
      at: { type: 'string', format: 'date-time' },
      kind: { type: 'string', enum: ['SHOP', 'RESTAURANT'] },
      privileges: {
        type: 'array',
        minItems: 1,
        maxItems: 4,
        items: { type: 'string', enum: ['A', 'B'] },
      },
      ids: { type: 'array', items: { type: 'string', format: 'uuid', pattern: UUID_PATTERN } },
      seat: { $ref: '#/components/schemas/SampleSeatDto' },
      flag: { type: 'boolean' },
      says_ten_validates_ninety_nine: { type: 'integer', maximum: 99 },
      flagged_pattern: { type: 'string' },
    });
  });

  it('requires exactly the fields the validation does not let be missing', () => {
    expect([...(schemas['SampleBodyDto']?.required ?? [])].sort()).toEqual(
      [
        'wagon',
        'user_id',
        'name',
        'password',
        'at',
        'kind',
        'privileges',
        'ids',
        'seat',
        'flag',
        'says_ten_validates_ninety_nine',
        'flagged_pattern',
      ].sort(),
    );
  });

  it('documents nested DTOs and query DTOs the same way', () => {
    expect(schemas['SampleSeatDto']?.properties).toEqual({
      wagon: { type: 'integer', minimum: 1, maximum: 30 },
    });
    expect(parameters).toEqual([
      expect.objectContaining({
        name: 'size',
        in: 'query',
        required: false,
        // strictOpenApi drops `nullable` from parameters: a query string has no null
        schema: { type: 'integer', minimum: 1, maximum: 100, nullable: true },
      }),
    ]);
  });
});

describe('propertySchemaOf', () => {
  const custom = (name: string, constraints: unknown[] = [], each = false) => ({
    type: 'customValidation',
    name,
    propertyName: 'p',
    constraints,
    each,
  });

  it('keeps integer over number whatever the order', () => {
    expect(propertySchemaOf({}, [custom('isInt'), custom('isNumber')])).toMatchObject({
      type: 'integer',
    });
    expect(propertySchemaOf({}, [custom('isNumber'), custom('isInt')])).toMatchObject({
      type: 'integer',
    });
  });

  it('leaves constraints it does not know to the DTO', () => {
    expect(
      propertySchemaOf({ format: 'date', type: String }, [custom('isTrainDateString')]),
    ).toEqual({ format: 'date', type: String, required: true });
  });

  it('calls an @IsOptional field nullable and not required: null skips the checks too', () => {
    const optional = { ...custom('isOptional'), type: 'conditionalValidation' };
    expect(propertySchemaOf({}, [optional, custom('isString')])).toEqual({
      type: 'string',
      required: false,
      nullable: true,
    });
    const conditional = { ...custom('validateIf'), type: 'conditionalValidation' };
    expect(propertySchemaOf({}, [conditional, custom('isString')])).toEqual({
      type: 'string',
      required: false,
    });
  });

  it('states no minLength for a text without a lower bound', () => {
    expect(propertySchemaOf({}, [custom('textLength', [0, 40])])).toEqual({
      maxLength: 40,
      required: true,
    });
  });
});
