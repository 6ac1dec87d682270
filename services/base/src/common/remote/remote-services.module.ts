import { Module } from '@nestjs/common';
import { FaceClient } from './face.client';
import { StoreDirectoryClient } from './store-directory.client';

/** Clients of the other services base calls (over the global RpcClient). */
@Module({
  providers: [FaceClient, StoreDirectoryClient],
  exports: [FaceClient, StoreDirectoryClient],
})
export class RemoteServicesModule {}
