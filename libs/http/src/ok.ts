import { ApiProperty } from '@nestjs/swagger';

/** The seed's EmptyResponse: `{"status": "OK"}`. */
export class OkView {
  @ApiProperty({ example: 'OK' })
  status!: 'OK';
}

export const OK: OkView = Object.freeze({ status: 'OK' as const });
