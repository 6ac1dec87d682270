import { createServer, type Server, type Socket } from 'node:net';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TelematicsConfig } from '../config/service.config';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { StorageMaintenance } from '../storage/storage-maintenance';
import { IngestPipeline } from './ingest-pipeline';
import { readProxyHeader } from './proxy-header';
import { TrackerConnection } from './tracker-connection';

/** How long closing connections get to flush their last replies before they are cut. */
const CLOSE_GRACE_MS = 1000;
/** nginx sends the PROXY line at once; a connection that does not is not nginx's. */
const PROXY_HEADER_TIMEOUT_MS = 5000;

/**
 * The tracker listener (node:net, TRACKER_TCP_PORT), started and stopped with the Nest app.
 *
 * Limits: connections in total and per remote address (one more is closed at once), idle time
 * (a silent connection is closed; the timer is suspended while reading is paused), frame size
 * (the session drops larger units unbuffered). Backpressure: while the ingest buffer is over its
 * bound every socket is paused (the kernel's window then pushes back on the device) and new
 * connections start paused; they are resumed when it drained below half.
 *
 * Shutdown: stop accepting, stop reading, commit what is buffered (up to the shutdown deadline),
 * let the replies of what committed go out, then close every connection.
 */
@Injectable()
export class TrackerServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TrackerServer');
  private readonly server: Server;
  private readonly connections = new Set<TrackerConnection>();
  /** IMEI → the newest connection time of its connections that ended while another was open. */
  private readonly endedWhileOpen = new Map<string, Date>();
  private readonly perAddress = new Map<string, number>();
  /** Connections still sending their PROXY line (not yet counted, not yet read for a device). */
  private readonly awaitingHeader = new Set<Socket>();
  private paused = false;
  private stopping = false;

  constructor(
    @Inject(TelematicsConfig) private readonly config: TelematicsConfig,
    private readonly pipeline: IngestPipeline,
    private readonly metrics: IngestMetrics,
    private readonly maintenance: StorageMaintenance,
  ) {
    this.server = createServer({ noDelay: true, keepAlive: true, allowHalfOpen: true }, (socket) =>
      this.accept(socket),
    );
    this.server.maxConnections = config.ingest.maxConnections;
    this.server.on('drop', () => {
      this.metrics.connectionsTotal.inc({ result: 'refused-total-limit' });
    });
    this.pipeline.onOverload((overloaded) => this.setPaused(overloaded));
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Today's partitions first, so the first records do not land in the default partition.
    await this.maintenance.whenStarted();
    const { tcpHost, tcpPort } = this.config.ingest;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: tcpHost, port: tcpPort, backlog: 1024 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.on('error', (error) => this.logger.error({ err: error }, 'tracker listener error'));
    this.logger.log({ host: tcpHost, port: this.port }, 'tracker listener ready');
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.awaitingHeader) socket.destroy();
    for (const connection of this.connections) connection.socket.pause();
    const deadline = Math.max(1000, this.config.shutdownTimeoutMs - 3000);
    const flushed = await this.pipeline.flush(deadline);
    this.logger.log(
      { flushed, connections: this.connections.size, pending: this.pipeline.pending },
      flushed
        ? 'buffered frames committed and acknowledged'
        : 'shutdown deadline: uncommitted frames left unacknowledged',
    );
    this.pipeline.close();
    // Replies of committed frames were written by the commit callbacks; end() sends them first.
    for (const connection of this.connections) connection.socket.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_GRACE_MS);
      timer.unref();
      if (this.connections.size === 0) resolve();
    });
    for (const connection of this.connections) connection.socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    if (!this.config.ingest.proxyProtocol) {
      this.admit(socket, socket.remoteAddress ?? 'unknown', null);
      return;
    }
    // The device's address comes first, in nginx's PROXY line; nothing is read for the device
    // before it is known (and counted against its address).
    let buffered = Buffer.alloc(0);
    this.awaitingHeader.add(socket);
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      this.awaitingHeader.delete(socket);
    };
    const timer = setTimeout(() => {
      done();
      this.metrics.connectionsTotal.inc({ result: 'refused-proxy-header' });
      socket.destroy();
    }, PROXY_HEADER_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const header = readProxyHeader(buffered);
      if (header.status === 'incomplete') return;
      done();
      if (header.status === 'invalid') {
        this.logger.warn({ reason: header.reason }, 'tracker connection without a PROXY header');
        this.metrics.connectionsTotal.inc({ result: 'refused-proxy-header' });
        socket.destroy();
        return;
      }
      this.admit(socket, header.address ?? socket.remoteAddress ?? 'unknown', header.rest);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.once('close', done);
  }

  /** A connection whose device address is known: limits, then the protocol session. */
  private admit(socket: Socket, address: string, firstBytes: Buffer | null): void {
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.stopping || fromAddress >= this.config.ingest.maxConnectionsPerAddress) {
      this.metrics.connectionsTotal.inc({
        result: this.stopping ? 'refused-stopping' : 'refused-address-limit',
      });
      socket.destroy();
      return;
    }
    this.perAddress.set(address, fromAddress + 1);
    this.metrics.connectionsTotal.inc({ result: 'accepted' });
    this.metrics.connections.inc();
    const connection = new TrackerConnection(socket, address, {
      maxFrameBytes: this.config.ingest.maxFrameBytes,
      storeRawFrames: this.config.ingest.storeRawFrames,
      metrics: this.metrics,
      submit: (write) => this.pipeline.submit(write),
      deviceDisconnected: (imei, connectedAt) =>
        this.deviceDisconnected(connection, imei, connectedAt),
    });
    this.connections.add(connection);
    socket.setTimeout(this.paused ? 0 : this.config.ingest.idleTimeoutMs);
    socket.on('timeout', () => connection.close('idle'));
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    socket.on('error', () => undefined); // a reset by the peer ends in 'close' like any end
    socket.on('end', () => connection.endWhenAnswered());
    socket.once('close', () => {
      connection.ended();
      this.connections.delete(connection);
      this.metrics.connections.dec();
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    });
    if (this.paused || this.stopping) socket.pause();
    // what arrived with the PROXY line: one chunk at most, so taken even while paused
    if (firstBytes && firstBytes.length > 0) connection.receive(firstBytes);
  }

  /**
   * A device is offline when its last open connection here ended. A tracker that reconnects
   * before its old socket timed out has two: the one that ends first leaves it online (and its
   * connection time to the last one, since the database keeps the newest and goes offline only
   * for a connection at least as new).
   */
  private deviceDisconnected(ended: TrackerConnection, imei: string, connectedAt: Date): void {
    const latest = new Date(
      Math.max(connectedAt.getTime(), this.endedWhileOpen.get(imei)?.getTime() ?? 0),
    );
    for (const other of this.connections) {
      if (other !== ended && other.identifier === imei && other.isOpen) {
        this.endedWhileOpen.set(imei, latest);
        return;
      }
    }
    this.endedWhileOpen.delete(imei);
    this.pipeline.markDisconnected(imei, latest);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (this.stopping) return;
    for (const connection of this.connections) {
      if (paused) {
        connection.socket.pause();
        connection.socket.setTimeout(0);
      } else {
        connection.socket.setTimeout(this.config.ingest.idleTimeoutMs);
        connection.socket.resume();
      }
    }
  }
}
