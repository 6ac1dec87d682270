import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BASE_PATTERNS,
  RobotServesUserRequest,
  type RobotServesUserResponse,
} from '@platform/contracts';
import { UsersService } from '../users/users.service';
import { RobotPassengers } from './robot-passengers';

/** Whether a robot may act for a passenger, over RPC (store asks before a robot's purchase). */
@Controller()
export class RobotPassengersRpcController {
  constructor(
    private readonly passengers: RobotPassengers,
    private readonly users: UsersService,
  ) {}

  @MessagePattern(BASE_PATTERNS.robotServesUser)
  async servesUser(@Payload() request: RobotServesUserRequest): Promise<RobotServesUserResponse> {
    const [exists, serves] = await Promise.all([
      this.users.exists(request.userId),
      this.passengers.serves(request.robotId, request.userId),
    ]);
    return { userId: request.userId, exists, serves: exists && serves };
  }
}
