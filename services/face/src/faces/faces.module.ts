import { Module } from '@nestjs/common';
import { FaceEngine } from './face-engine';
import { FacesRpcController } from './faces.rpc.controller';

/** Enrolment, identification, verification and deletion over RPC. */
@Module({
  controllers: [FacesRpcController],
  providers: [FaceEngine],
})
export class FacesModule {}
