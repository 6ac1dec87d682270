import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { SERVICE_NAMES, type ServiceName } from './services';

/** `<service>.system.status`: every service answers with its own health, read-only. */
export function systemStatusPattern(service: ServiceName): string {
  return `${service}.system.status`;
}

export const DEPENDENCY_STATES = ['up', 'down'] as const;
export type DependencyState = (typeof DEPENDENCY_STATES)[number];

export const SERVICE_STATES = ['up', 'degraded', 'down'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export class DependencyStatus {
  @IsString()
  name!: string;

  @IsIn(DEPENDENCY_STATES)
  state!: DependencyState;

  @IsInt()
  @Min(0)
  latencyMs!: number;
}

/** Response of `<service>.system.status`. */
export class ServiceStatusResponse {
  @IsIn(SERVICE_NAMES)
  service!: ServiceName;

  @IsIn(SERVICE_STATES)
  state!: ServiceState;

  @IsString()
  version!: string;

  @IsInt()
  @Min(0)
  uptimeSeconds!: number;

  @ValidateNested({ each: true })
  @Type(() => DependencyStatus)
  dependencies!: DependencyStatus[];
}
