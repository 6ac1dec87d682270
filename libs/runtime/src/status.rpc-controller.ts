import { Controller, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  type ServiceName,
  type ServiceStatusResponse,
  systemStatusPattern,
} from '@platform/contracts';
import { ReadinessService } from './readiness.service';

/** The RPC side of health: `<service>.system.status`, read-only, so safe on every replica. */
export function statusRpcController(service: ServiceName): Type {
  @Controller()
  class StatusRpcController {
    constructor(private readonly readiness: ReadinessService) {}

    @MessagePattern(systemStatusPattern(service))
    status(): Promise<ServiceStatusResponse> {
      return this.readiness.status();
    }
  }
  return StatusRpcController;
}
