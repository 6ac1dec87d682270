import { createServer, connect, type Server, type Socket } from 'node:net';
import { encodeNtcbPacket } from '@platform/navtelecom';
import { samplePositions, SimulatedTracker } from '@platform/navtelecom/simulator';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { type FrameWrite } from './frame-write';
import { MAX_FRAMES_BEFORE_IDENTIFICATION, TrackerConnection } from './tracker-connection';

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

  /** A connection keeping raw frames whose writes commit at once, and what it submitted. */
  function keepingRawFrames(): { connection: TrackerConnection; writes: FrameWrite[] } {
    const writes: FrameWrite[] = [];
    const connection = new TrackerConnection(ours, '10.1.2.3', {
      maxFrameBytes: 65_551,
      storeRawFrames: true,
      metrics: new IngestMetrics(),
      submit: async (write) => {
        writes.push(write);
      },
      deviceDisconnected: () => undefined,
    });
    return { connection, writes };
  }

  const keepAlive = encodeNtcbPacket({ receiverId: 1, senderId: 7 }, Buffer.alloc(0));

  it('stores nothing of a connection that never says who it is, and closes it', async () => {
    const { connection, writes } = keepingRawFrames();
    const closed = new Promise((resolve) => ours.once('close', resolve));
    for (let frame = 0; frame < MAX_FRAMES_BEFORE_IDENTIFICATION; frame += 1) {
      connection.receive(keepAlive);
    }
    expect(ours.destroyed).toBe(false);
    connection.receive(Buffer.concat(Array.from({ length: 1000 }, () => keepAlive)));
    await closed;
    expect(writes).toEqual([]);
  });

  it("keeps a device's frames raw, but not its keep-alives", async () => {
    const { connection, writes } = keepingRawFrames();
    const tracker = new SimulatedTracker({ host: '127.0.0.1', port: 0, imei: IMEI });
    connection.receive(Buffer.concat([tracker.handshakeBytes(), keepAlive]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.map((write) => [write.imei, write.raw?.frameType ?? null])).toEqual([
      [IMEI, 'ntcb-handshake'],
      [IMEI, null],
    ]);
  });

  it('stores frames without a device time under distinct arrival times, a burst too', async () => {
    const { connection, writes } = keepingRawFrames();
    const canFrame = (rpm: number) =>
      `~T${IMEI},0CF00400,FF,7D,7D,00,${rpm.toString(16).toUpperCase()},FF,F0,FF~`;
    connection.receive(
      Buffer.from(Array.from({ length: 10 }, (_, i) => canFrame(16 + i)).join('')),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const keys = writes.flatMap((write) =>
      write.busValues.map((row) => `${row.eventTime.getTime()} ${row.value.name}`),
    );
    expect(writes).toHaveLength(10);
    expect(keys.filter((key) => key.endsWith(' engineSpeed'))).toHaveLength(10);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('identifies a device that negotiates without a handshake by its NTCB sender id, not id 0', async () => {
    const { connection, writes } = keepingRawFrames();
    const known = new SimulatedTracker({ host: '127.0.0.1', port: 0, imei: IMEI, deviceId: 7 });
    connection.receive(
      Buffer.concat([
        known.negotiationBytes(),
        known.arrayBytes(samplePositions(1, new Date('2026-12-01T10:00:00Z'))),
      ]),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.map((write) => [write.imei, write.positions.length])).toEqual([
      ['ntcb-7', 0],
      ['ntcb-7', 1],
    ]);
  });

  it('leaves a device negotiating as sender id 0 unidentified: its records are not taken', async () => {
    const { connection, writes } = keepingRawFrames();
    const anonymous = new SimulatedTracker({ host: '127.0.0.1', port: 0, imei: IMEI });
    connection.receive(anonymous.negotiationBytes());
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.identifier).toBeNull();
    expect(writes).toEqual([]);
  });
});
