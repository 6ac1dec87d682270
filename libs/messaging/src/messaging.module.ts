import { Global, Module } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import { PlatformConfig } from '@platform/config';
import { redisTransportOptions } from './redis-transport';
import { RPC_CLIENT_PROXY, RpcClient } from './rpc-client';

@Global()
@Module({
  providers: [
    {
      provide: RPC_CLIENT_PROXY,
      inject: [PlatformConfig],
      useFactory: (config: PlatformConfig) =>
        ClientProxyFactory.create(redisTransportOptions(config.redis)),
    },
    RpcClient,
  ],
  exports: [RpcClient],
})
export class MessagingModule {}
