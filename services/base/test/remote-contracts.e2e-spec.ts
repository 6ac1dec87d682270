import { ClientProxyFactory } from '@nestjs/microservices';
import { loadPlatformConfig } from '@platform/config';
import { redisTransportOptions, RpcClient } from '@platform/messaging';
import { api, keycloakToken } from '@platform/testing';
import { FaceClient } from '../src/common/remote/face.client';
import { StoreDirectoryClient } from '../src/common/remote/store-directory.client';
import { describeFaceContract } from '../src/common/remote/testing/face.contract';
import { describeStoreDirectoryContract } from '../src/common/remote/testing/store-directory.contract';
import { facePhotos, strangerPhoto } from './dev-faces';

// base's clients of store and face, over the stack's Redis to the running services, held to the
// contracts base's fakes are held to (src/testing/fake-remotes.spec.ts).

/** base's RPC client as base builds it (its settings from the stack's environment). */
function baseRpcClient(): RpcClient {
  const config = loadPlatformConfig('base', {
    ...process.env,
    HTTP_PORT: '3001',
    DATABASE_USER: 'base',
    DATABASE_PASSWORD: process.env['DB_PASSWORD_BASE'],
  });
  return new RpcClient(ClientProxyFactory.create(redisTransportOptions(config.redis)), config);
}

const rpc = baseRpcClient();
const createdStores: string[] = [];
let admin: string;

beforeAll(async () => {
  admin = await keycloakToken('dev-admin');
});

afterAll(async () => {
  for (const id of createdStores) {
    await api('DELETE', `/store_api/v1/admin/store/${id}`, { token: admin });
  }
  await rpc.onApplicationShutdown();
});

describeStoreDirectoryContract('StoreDirectoryClient → store service', async () => {
  const directory = new StoreDirectoryClient(rpc);
  return {
    addStore: async (fields) => {
      const created = await api<{ id: string }>('POST', '/store_api/v1/admin/store', {
        token: admin,
        body: {
          name: fields.name,
          description: fields.description,
          logo_url: fields.logoUrl,
          store_type: fields.storeType,
        },
      });
      if (created.status !== 200) throw new Error(`store not created: ${created.status}`);
      createdStores.push(created.body.id);
      return { id: created.body.id, ...fields };
    },
    storesByIds: (ids) => directory.storesByIds(ids),
  };
});

// Photos of person05 and person07 (dev-faces.ts: no other suite enrols them).
describeFaceContract('FaceClient → face service', async () => {
  const faces = new FaceClient(rpc);
  const images = {
    first: facePhotos('person05')[0] as string,
    second: facePhotos('person07')[0] as string,
    stranger: strangerPhoto(),
  };
  // A run that died before its cleanup may have left these faces enrolled: forget whoever has them.
  for (const image of [images.first, images.second]) {
    const owner = await faces.identify(image).catch(() => null);
    if (owner) await faces.delete(owner);
  }
  return { faces, images };
});
