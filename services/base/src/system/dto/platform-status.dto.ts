import { ApiProperty } from '@nestjs/swagger';
import {
  DependencyStatus,
  SERVICE_NAMES,
  SERVICE_STATES,
  type ServiceName,
  type ServiceState,
} from '@platform/contracts';

export class ServiceStatusView {
  @ApiProperty({ enum: SERVICE_NAMES })
  service!: ServiceName;

  @ApiProperty({ enum: SERVICE_STATES, description: 'down: no answer within the deadline' })
  state!: ServiceState;

  @ApiProperty({ nullable: true, type: String })
  version!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  uptimeSeconds!: number | null;

  @ApiProperty({ type: [DependencyStatus] })
  dependencies!: DependencyStatus[];

  @ApiProperty({ description: 'Round trip of the status call over Redis' })
  responseMs!: number;

  @ApiProperty({ required: false, description: 'Why the service is reported down' })
  error?: string;
}

export class PlatformStatusView {
  @ApiProperty({
    enum: SERVICE_STATES,
    description: 'up only when every service and dependency is up',
  })
  state!: ServiceState;

  @ApiProperty()
  checkedAt!: string;

  @ApiProperty({ type: [ServiceStatusView] })
  services!: ServiceStatusView[];
}
