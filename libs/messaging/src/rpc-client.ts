import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type ClientProxy } from '@nestjs/microservices';
import { PlatformConfig } from '@platform/config';
import { dependencyFailureOf, DomainError, isErrorKind, REDIS_UNAVAILABLE } from '@platform/errors';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  firstValueFrom,
  lastValueFrom,
  type Observable,
  type Subscription,
  timeout,
  TimeoutError,
} from 'rxjs';

export const RPC_CLIENT_PROXY = Symbol('RPC_CLIENT_PROXY');

export interface RpcCallOptions<T> {
  /** Overrides the service's default RPC_TIMEOUT_MS. */
  timeoutMs?: number;
  /** When given, the reply is validated against this DTO class before it is returned. */
  responseType?: new () => T;
}

/**
 * Request/response over the Redis transport with a deadline on every call. The transport is
 * pub/sub: a message nobody listens to is simply lost, so a dead service shows up as a timeout.
 * Remote domain errors are rethrown as DomainError with the remote kind and code.
 */
@Injectable()
export class RpcClient implements OnApplicationShutdown {
  /** The transport's last reported state: Nest's Redis client says when it lost Redis. */
  private transportConnected = true;
  private readonly statusSubscription?: Subscription;

  constructor(
    @Inject(RPC_CLIENT_PROXY) private readonly proxy: ClientProxy,
    private readonly config: PlatformConfig,
  ) {
    this.statusSubscription = (proxy.status as Observable<string> | undefined)?.subscribe(
      (status) => (this.transportConnected = status === 'connected'),
    );
  }

  async send<T>(pattern: string, payload: object, options: RpcCallOptions<T> = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.config.rpcTimeoutMs;
    let reply: unknown;
    try {
      reply = await firstValueFrom(
        this.proxy.send<unknown>(pattern, payload).pipe(timeout(timeoutMs)),
      );
    } catch (error) {
      throw toRpcCallError(pattern, error, timeoutMs, this.transportConnected);
    }
    return options.responseType
      ? validateReply(pattern, reply, options.responseType)
      : (reply as T);
  }

  /**
   * Publishes an event (`@EventPattern` on the receiving side): pub/sub, so every subscribed
   * replica gets it, a service that is down misses it and nothing is retried. Resolves once Redis
   * took the message; rejects with the call's typed error after the deadline.
   */
  async emit(
    pattern: string,
    payload: object,
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.config.rpcTimeoutMs;
    try {
      await lastValueFrom(this.proxy.emit<unknown>(pattern, payload).pipe(timeout(timeoutMs)), {
        defaultValue: undefined,
      });
    } catch (error) {
      throw toRpcCallError(pattern, error, timeoutMs, this.transportConnected);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.statusSubscription?.unsubscribe();
    await this.proxy.close();
  }
}

/**
 * The typed error of a failed call. A remote domain error keeps its kind and code. A call that got
 * no answer because the transport failed (Redis refused, dropped or did not take the message, or
 * the transport was reconnecting) is REDIS_UNAVAILABLE: the service called was never asked. Only
 * a call Redis carried and nobody answered is RPC_TIMEOUT (or RPC_FAILED).
 */
export function toRpcCallError(
  pattern: string,
  error: unknown,
  timeoutMs: number,
  transportConnected = true,
): DomainError {
  const remote = remoteDomainError(error);
  if (remote) return remote;
  if (!transportConnected || dependencyFailureOf(error)?.code === REDIS_UNAVAILABLE) {
    return new DomainError(
      'unavailable',
      REDIS_UNAVAILABLE,
      `The RPC transport (Redis) is unavailable; ${pattern} got no answer, try again later`,
    );
  }
  if (error instanceof TimeoutError) {
    return new DomainError(
      'timeout',
      'RPC_TIMEOUT',
      `No reply to ${pattern} within ${timeoutMs} ms`,
    );
  }
  return new DomainError('unavailable', 'RPC_FAILED', `Call to ${pattern} failed`);
}

/** A DomainError the remote service answered with (its kind, code, message and details). */
function remoteDomainError(error: unknown): DomainError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { kind, code, message, details, detail } = error as Record<string, unknown>;
  if (!isErrorKind(kind) || typeof code !== 'string' || typeof message !== 'string') return null;
  return new DomainError(
    kind,
    code,
    message,
    isRecord(details) ? details : undefined,
    isRecord(detail) ? { detail } : {},
  );
}

async function validateReply<T>(pattern: string, reply: unknown, type: new () => T): Promise<T> {
  const instance = plainToInstance(type, reply);
  const problems = isRecord(instance) ? await validate(instance) : ['not an object'];
  if (problems.length > 0) {
    throw new DomainError('internal', 'RPC_BAD_REPLY', `Malformed reply to ${pattern}`);
  }
  return instance;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
