import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * Wakes a locker controller's long-poll on this replica as soon as a transaction that queued a
 * command for its locker commits. Only a shortcut: the long-poll also re-reads the queue every
 * `POLL_INTERVAL_MS`, so a command queued by another replica is seen within that interval.
 */
@Injectable()
export class LockerSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(lockerId: string): void {
    this.emitter.emit(lockerId);
  }

  /** Resolves on the next notification for the locker, or after `ms`. */
  wait(lockerId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.emitter.off(lockerId, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(lockerId, done);
    });
  }
}
