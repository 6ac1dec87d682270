import { createServer, connect, type Server, type Socket } from 'node:net';
import { SimulatedTracker } from '@platform/navtelecom/simulator';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { type FrameWrite } from './frame-write';
import { TrackerConnection } from './tracker-connection';

const IMEI = '351234567890123';

/** A connected socket pair on the loopback: the server's end for the connection, the device's. */
async function socketPair(): Promise<{ server: Server; ours: Socket; device: Socket }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const device = connect({ host: '127.0.0.1', port: address.port });
  return { server, ours: await accepted, device };
}

describe('TrackerConnection', () => {
  let server: Server;
  let ours: Socket;
  let device: Socket;

  beforeEach(async () => {
    ({ server, ours, device } = await socketPair());
  });

  afterEach(async () => {
    device.destroy();
    ours.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports the device offline only once the writes of the connection settled', async () => {
    const commits: { write: FrameWrite; done: () => void }[] = [];
    const disconnected: [string, Date][] = [];
    const connection = new TrackerConnection(ours, '10.1.2.3', {
      maxFrameBytes: 65_551,
      storeRawFrames: false,
      metrics: new IngestMetrics(),
      submit: (write) =>
        new Promise<void>((resolve) => commits.push({ write, done: () => resolve() })),
      deviceDisconnected: (imei, connectedAt) => disconnected.push([imei, connectedAt]),
    });
    const tracker = new SimulatedTracker({ host: '127.0.0.1', port: 0, imei: IMEI });
    connection.receive(Buffer.concat([tracker.handshakeBytes(), tracker.negotiationBytes()]));
    expect(commits.map((commit) => commit.write.device?.connectedFrom)).toEqual(['10.1.2.3', null]);

    // the socket closes while both frames wait for their commit: were the device marked offline
    // now, the commit of its first frame (connection_state 'online') would come after it
    connection.ended();
    expect(disconnected).toEqual([]);
    commits[1]?.done();
    await Promise.resolve();
    expect(disconnected).toEqual([]);
    commits[0]?.done();
    await new Promise((resolve) => setImmediate(resolve));
    // with the arrival of the frame that opened the connection, which connected_at holds
    expect(disconnected).toEqual([[IMEI, commits[0]?.write.receivedAt]]);
    connection.ended();
    expect(disconnected).toHaveLength(1);
  });
});
