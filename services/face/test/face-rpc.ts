import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { FACE_PATTERNS } from '@platform/contracts';
import { type DomainError } from '@platform/errors';
import { redisTransportOptions, toRpcCallError } from '@platform/messaging';
import { firstValueFrom, timeout } from 'rxjs';

/** The dev set (`../shared/data/faces` from the repository root) and its labels. */
export const DEV_SET = path.resolve(__dirname, '../../..', '../shared/data/faces');

interface Photo {
  file: string;
  identity: string;
  role: string;
}

const photos: Photo[] = readFileSync(path.join(DEV_SET, 'labels.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, identity, , , , , role] = line.split(',');
    return { file, identity, role };
  });

/** The identity's photos, by file name. */
export function photosOf(identity: string): string[] {
  return photos
    .filter((photo) => photo.identity === identity)
    .map((photo) => photo.file)
    .sort();
}

export function impostorPhotos(): string[] {
  return photos.filter((photo) => photo.role === 'impostor').map((photo) => photo.file);
}

export function photoBytes(file: string): Buffer {
  return readFileSync(path.join(DEV_SET, file));
}

export function photo(file: string): string {
  return photoBytes(file).toString('base64');
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** The face service over the stack's Redis RPC, as base calls it (errors typed on arrival). */
export class FaceRpc {
  private readonly proxy: ClientProxy;

  constructor() {
    this.proxy = ClientProxyFactory.create(
      redisTransportOptions({
        host: process.env['REDIS_HOST'] ?? '127.0.0.1',
        port: Number(process.env['REDIS_PORT'] ?? 56379),
        password: process.env['REDIS_PASSWORD'],
      }),
    );
  }

  async call<T = Record<string, unknown>>(
    pattern: string,
    payload: object,
    timeoutMs = 15_000,
  ): Promise<Outcome<T>> {
    try {
      const value = await firstValueFrom(
        this.proxy.send<T>(pattern, payload).pipe(timeout(timeoutMs)),
      );
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toRpcCallError(pattern, error, timeoutMs) };
    }
  }

  /** The call's value; fails the test with the error's code otherwise. */
  async expectOk<T = Record<string, unknown>>(pattern: string, payload: object): Promise<T> {
    const outcome = await this.call<T>(pattern, payload);
    if (!outcome.ok) {
      throw new Error(`${pattern} failed: ${outcome.error.code} ${outcome.error.message}`);
    }
    return outcome.value;
  }

  /** The refusal's kind, code and details; fails the test when the call succeeded. */
  async refusal(pattern: string, payload: object): Promise<DomainError> {
    const outcome = await this.call(pattern, payload);
    if (outcome.ok) throw new Error(`${pattern} succeeded: ${JSON.stringify(outcome.value)}`);
    return outcome.error;
  }

  /**
   * Frees the photos' faces left enrolled by an earlier run that died before its cleanup (the
   * stack's collection is shared): whoever they identify as is forgotten.
   */
  async forgetWhoeverHas(files: readonly string[]): Promise<void> {
    for (const file of files) {
      const found = await this.call<{ userId: string }>(FACE_PATTERNS.identify, {
        image: photo(file),
      });
      if (found.ok) await this.call(FACE_PATTERNS.delete, { userId: found.value.userId });
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}
