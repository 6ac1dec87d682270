import 'reflect-metadata';
import { type PlatformConfig } from '@platform/config';
import { SERVICE_NAMES, type ServiceStatusResponse } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { type RpcClient } from '@platform/messaging';
import { type ReadinessService } from '@platform/runtime';
import { SystemStatusService } from './system-status.service';

function statusOf(service: string): ServiceStatusResponse {
  return {
    service: service as ServiceStatusResponse['service'],
    state: 'up',
    version: '1.2.3',
    uptimeSeconds: 10,
    dependencies: [{ name: 'postgres', state: 'up', latencyMs: 1 }],
  };
}

describe('SystemStatusService', () => {
  const config = { serviceName: 'base' } as PlatformConfig;
  const readiness = { status: async () => statusOf('base') } as unknown as ReadinessService;

  function serviceWith(send: (pattern: string) => Promise<unknown>): SystemStatusService {
    return new SystemStatusService(config, readiness, { send } as unknown as RpcClient);
  }

  it('reports up when every service answers up', async () => {
    const status = await serviceWith(async (pattern) =>
      statusOf(pattern.split('.')[0] as string),
    ).platformStatus();
    expect(status.state).toBe('up');
    expect(status.services.map((s) => [s.service, s.state])).toEqual([
      ['base', 'up'],
      ['store', 'up'],
      ['face', 'up'],
      ['delivery-fsm', 'up'],
      ['telematics-ingest', 'up'],
    ]);
  });

  it('reports a silent service as down and the platform as degraded', async () => {
    const status = await serviceWith(async (pattern) => {
      if (pattern === 'store.system.status') {
        throw new DomainError(
          'timeout',
          'RPC_TIMEOUT',
          'No reply to store.system.status within 2000 ms',
        );
      }
      return statusOf(pattern.split('.')[0] as string);
    }).platformStatus();
    expect(status.state).toBe('degraded');
    expect(status.services.find((s) => s.service === 'store')).toMatchObject({
      state: 'down',
      version: null,
      error: 'No reply to store.system.status within 2000 ms',
    });
  });

  it('never passes an unexpected error message on', async () => {
    const status = await serviceWith(async () => {
      throw new Error('connection details nobody should see');
    }).platformStatus();
    const others = status.services.filter((s) => s.service !== 'base');
    expect(others.map((s) => [s.service, s.error])).toEqual(
      SERVICE_NAMES.filter((name) => name !== 'base').map((name) => [name, 'status call failed']),
    );
  });
});
