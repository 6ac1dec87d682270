import { Controller, Get, Param, type PipeTransform, Query, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AlsoAccepts, Roles } from '@platform/auth';
import { errorCatalog } from '@platform/errors';
import { type Page, PageQueryDto, pageWindow } from '@platform/http';
import { IngestPipeline } from '../ingest/ingest-pipeline';
import { TrackerServer } from '../ingest/tracker-server';
import {
  BusValuePageView,
  CanDataQueryDto,
  DevicePageView,
  DeviceView,
  IMEI_PATTERN,
  IngestStatsView,
  PositionPageView,
  PositionView,
  RawFramePageView,
  TelematicsHealthView,
  TimeRangeQueryDto,
} from './dto/telemetry.dto';
import { V1_DEPRECATION_HEADER } from './v1-deprecation.middleware';
import { TelemetryQueries } from './telemetry-queries';

const paramError = errorCatalog({ INVALID_IMEI: 'invalid_input' });

class ImeiPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!IMEI_PATTERN.test(value)) {
      throw paramError('INVALID_IMEI', 'imei must be 1-32 characters of [0-9A-Za-z_.-]');
    }
    return value;
  }
}

const imeiParam = () => Param('imei', new ImeiPipe());
const ImeiDoc = () =>
  ApiParam({
    name: 'imei',
    description: 'Device identifier',
    schema: { type: 'string', pattern: IMEI_PATTERN.source },
  });

/** Telemetry API v2 (current). */
@ApiTags('telemetry v2')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller({ version: '2' })
@Roles('operator', 'admin')
@AlsoAccepts('api-key')
export class TelemetryV2Controller {
  constructor(
    private readonly queries: TelemetryQueries,
    private readonly pipeline: IngestPipeline,
    private readonly tracker: TrackerServer,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'The service and its tracker listener are up' })
  @ApiOkResponse({ type: TelematicsHealthView })
  health(): TelematicsHealthView {
    return {
      status: 'up',
      connections: this.tracker.connectionCount,
      pendingRecords: this.pipeline.pending.weight,
      readingPaused: this.pipeline.overloaded,
    };
  }

  @Get('stats')
  @ApiOperation({ summary: 'Devices, connections, the ingest buffer, positions of the last hour' })
  @ApiOkResponse({ type: IngestStatsView })
  async stats(): Promise<IngestStatsView> {
    const stored = await this.queries.stats();
    return {
      ...stored,
      connections: this.tracker.connectionCount,
      pendingRecords: this.pipeline.pending.weight,
      readingPaused: this.pipeline.overloaded,
    };
  }

  @Get('devices')
  @ApiOperation({ summary: 'Devices by IMEI' })
  @ApiOkResponse({ type: DevicePageView })
  devices(@Query() query: PageQueryDto): Promise<Page<DeviceView>> {
    return this.queries.devices(pageWindow(query));
  }

  @Get('devices/:imei')
  @ImeiDoc()
  @ApiOperation({ summary: 'One device: negotiated FLEX layout, first/last seen, connection' })
  @ApiOkResponse({ type: DeviceView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  device(@imeiParam() imei: string): Promise<DeviceView> {
    return this.queries.device(imei);
  }

  @Get('devices/:imei/telemetry')
  @ImeiDoc()
  @ApiOperation({ summary: 'Positions in [from, to), oldest first, keyset pages (cursor)' })
  @ApiOkResponse({ type: PositionPageView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  telemetry(
    @imeiParam() imei: string,
    @Query() query: TimeRangeQueryDto,
  ): Promise<PositionPageView> {
    return this.queries.telemetry(imei, query);
  }

  @Get('devices/:imei/last-position')
  @ImeiDoc()
  @ApiOperation({ summary: 'The newest position (by event time)' })
  @ApiOkResponse({ type: PositionView })
  @ApiNotFoundResponse({
    description: 'DEVICE_NOT_FOUND, NO_POSITION_YET (known, no position sent)',
  })
  lastPosition(@imeiParam() imei: string): Promise<PositionView> {
    return this.queries.lastPosition(imei);
  }

  @Get('devices/:imei/can-data')
  @ImeiDoc()
  @ApiOperation({ summary: 'Vehicle-bus values (named, with units) in [from, to), keyset pages' })
  @ApiOkResponse({ type: BusValuePageView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  canData(@imeiParam() imei: string, @Query() query: CanDataQueryDto): Promise<BusValuePageView> {
    return this.queries.canData(imei, query);
  }

  @Get('devices/:imei/raw-frames')
  @ImeiDoc()
  @ApiOperation({
    summary: 'Frames as received, with the reply sent (kept RAW_FRAME_RETENTION_DAYS)',
  })
  @ApiOkResponse({ type: RawFramePageView })
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  deviceRawFrames(
    @imeiParam() imei: string,
    @Query() query: TimeRangeQueryDto,
  ): Promise<RawFramePageView> {
    return this.queries.rawFrames(imei, query);
  }

  @Get('raw-frames')
  @ApiOperation({ summary: 'Frames of every device (and unidentified/damaged ones)' })
  @ApiOkResponse({ type: RawFramePageView })
  rawFrames(@Query() query: TimeRangeQueryDto): Promise<RawFramePageView> {
    return this.queries.rawFrames(null, query);
  }
}

/** What V1DeprecationMiddleware sets, as the OpenAPI document's response headers of each v1 answer. */
const v1Ok = (type: Type<unknown>) =>
  ApiOkResponse({
    type,
    headers: {
      Deprecation: {
        description: 'RFC 9745: when v1 was deprecated, `@<seconds since the epoch>`',
        schema: { type: 'string', enum: [V1_DEPRECATION_HEADER] },
      },
      Link: {
        description: 'The v2 route: `<...>; rel="successor-version"`',
        schema: { type: 'string' },
      },
    },
  });

/**
 * The seed's v1: deprecated (`Deprecation`, `Link` to the v2 route: V1DeprecationMiddleware), same
 * data as v2.
 */
@ApiTags('telemetry v1 (deprecated)')
@ApiBadRequestResponse({ description: 'Invalid input' })
@Controller({ version: '1' })
@Roles('operator', 'admin')
@AlsoAccepts('api-key')
export class TelemetryV1Controller {
  constructor(private readonly v2: TelemetryV2Controller) {}

  @Get('health')
  @ApiOperation({ summary: 'Deprecated: use /telematics_api/v2/health', deprecated: true })
  @v1Ok(TelematicsHealthView)
  health(): TelematicsHealthView {
    return this.v2.health();
  }

  @Get('devices')
  @ApiOperation({ summary: 'Deprecated: use /telematics_api/v2/devices', deprecated: true })
  @v1Ok(DevicePageView)
  devices(@Query() query: PageQueryDto): Promise<Page<DeviceView>> {
    return this.v2.devices(query);
  }

  @Get('devices/:imei/telemetry')
  @ImeiDoc()
  @ApiOperation({
    summary: 'Deprecated: use /telematics_api/v2/devices/{imei}/telemetry',
    deprecated: true,
  })
  @v1Ok(PositionPageView)
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  telemetry(
    @imeiParam() imei: string,
    @Query() query: TimeRangeQueryDto,
  ): Promise<PositionPageView> {
    return this.v2.telemetry(imei, query);
  }

  @Get('devices/:imei/raw-frames')
  @ImeiDoc()
  @ApiOperation({
    summary: 'Deprecated: use /telematics_api/v2/devices/{imei}/raw-frames',
    deprecated: true,
  })
  @v1Ok(RawFramePageView)
  @ApiNotFoundResponse({ description: 'DEVICE_NOT_FOUND' })
  rawFrames(
    @imeiParam() imei: string,
    @Query() query: TimeRangeQueryDto,
  ): Promise<RawFramePageView> {
    return this.v2.deviceRawFrames(imei, query);
  }
}
