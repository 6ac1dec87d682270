import { Inject, Injectable, Logger } from '@nestjs/common';
import { TelematicsConfig } from '../config/service.config';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { IngestWriter } from '../storage/ingest-writer';
import { type FrameWrite, writeBytes, writeWeight } from './frame-write';
import { GroupCommitter } from './group-commit';
import { PositionPublisher } from './position-publisher';

/**
 * Frames in, commits out: the group committer (batching, bounded buffer, retries) over the
 * writer, with metrics and publishing after each commit. The tracker server subscribes to
 * `onOverload` to stop and resume reading its sockets.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger('IngestPipeline');
  private readonly committer: GroupCommitter<FrameWrite>;
  private readonly overloadListeners: ((overloaded: boolean) => void)[] = [];

  constructor(
    @Inject(TelematicsConfig) config: TelematicsConfig,
    private readonly writer: IngestWriter,
    private readonly metrics: IngestMetrics,
    private readonly publisher: PositionPublisher,
  ) {
    const settings = config.ingest;
    this.committer = new GroupCommitter<FrameWrite>(
      {
        maxWeight: settings.batchMaxRecords,
        maxDelayMs: settings.batchMaxDelayMs,
        concurrency: settings.commitConcurrency,
        pendingMaxWeight: settings.pendingMaxRecords,
        pendingMaxBytes: settings.pendingMaxBytes,
        retryMinMs: settings.retryMinMs,
        retryMaxMs: settings.retryMaxMs,
      },
      {
        commit: (writes) => this.commit(writes),
        onOverload: (overloaded) => {
          this.metrics.readingPaused.set(overloaded ? 1 : 0);
          if (overloaded) this.metrics.backpressureEvents.inc();
          this.logger.warn(
            { pending: this.committer.pending },
            overloaded ? 'buffer full: tracker sockets paused' : 'buffer drained: reading again',
          );
          for (const listener of this.overloadListeners) listener(overloaded);
        },
        onCommitFailure: (error, attempt, retryInMs) => {
          this.metrics.commitFailures.inc();
          this.logger.error({ err: error, attempt, retryInMs }, 'group commit failed; retrying');
        },
      },
    );
    metrics.pendingRecordsSource = () => this.committer.pending.weight;
  }

  get overloaded(): boolean {
    return this.committer.pending.overloaded;
  }

  get pending(): GroupCommitter<FrameWrite>['pending'] {
    return this.committer.pending;
  }

  onOverload(listener: (overloaded: boolean) => void): void {
    this.overloadListeners.push(listener);
  }

  /** Resolves once the write is committed. */
  submit(write: FrameWrite): Promise<void> {
    return this.committer.submit(write, writeWeight(write), writeBytes(write));
  }

  flush(deadlineMs: number): Promise<boolean> {
    return this.committer.flush(deadlineMs);
  }

  close(): void {
    this.committer.close();
  }

  markDisconnected(imei: string, connectedAt: Date): void {
    this.writer
      .markDisconnected(imei, connectedAt, new Date())
      .catch((error: unknown) =>
        this.logger.warn({ err: error, imei }, 'could not mark the device offline'),
      );
  }

  private async commit(writes: readonly FrameWrite[]): Promise<void> {
    const started = performance.now();
    const report = await this.writer.commit(writes);
    this.metrics.commitSeconds.observe((performance.now() - started) / 1000);
    this.metrics.batchSize.observe(writes.length);
    this.metrics.batchRecords.observe(report.positionsStored + report.positionsDuplicate);
    this.metrics.recordsStored.inc(report.positionsStored);
    this.metrics.recordsDuplicate.inc(report.positionsDuplicate);
    // Building the messages takes a while for a large batch: the acknowledgements, which wait
    // on this commit, go out first.
    if (report.stored.length > 0) setImmediate(() => this.publisher.publish(report.stored));
  }
}
