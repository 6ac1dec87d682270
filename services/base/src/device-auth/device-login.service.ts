import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  createNonce,
  type DeviceKind,
  DevicePublicKeyCache,
  hashSecret,
  issueChallenge,
  secretMatches,
  verifyLoginSignature,
} from '@platform/device-auth';
import { DEVICE_AUTH_SETTINGS, type DeviceAuthSettings } from './device-auth.settings';
import { DEVICE_AUTH_STORE, type DeviceAuthStore } from './device-auth.store';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory';
import { DeviceSessionsService, type LoggedInDevice } from './device-sessions.service';
import { DeviceAuthRateLimiter } from './rate-limiter';
import { deviceAuthErrors } from './device-auth.errors';

/** What `/login` answers: `data` is the base64 RSA-OAEP ciphertext (or a decoy). */
export interface ChallengeView {
  request_id: string;
  data: string;
}

export interface NonceView {
  request_id: string;
  nonce: string;
}

export interface TokenView {
  token: string;
}

/** Pending challenge in Redis (`device-auth:challenge:<request_id>`). */
interface PendingChallenge {
  kind: DeviceKind;
  device_id: string;
  /** SHA-256 hex of the challenge plaintext (of a secret nobody has, for a decoy). */
  secret_hash: string;
  /** The key the challenge was issued to (random for a decoy). */
  key_fingerprint: string;
  /** The device's revocation generation, read before the device: see DeviceAuthStore. */
  generation: string;
}

/** Pending nonce in Redis (`device-auth:nonce:<request_id>`). */
interface PendingNonce {
  kind: DeviceKind;
  device_id: string;
  nonce: string;
  key_fingerprint: string;
  /** The device's SPKI PEM as read from the database; null for a decoy. */
  public_key: string | null;
  generation: string;
}

function hasStrings<K extends string>(
  value: unknown,
  names: readonly K[],
): value is Record<K, string> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'string');
}

/**
 * Device login in two modes (docs/device-auth.md §3-4), built on @platform/device-auth.
 *
 * Indistinguishability: an unknown id, a disabled device, a device of another kind, and (in
 * challenge mode) an Ed25519 device get the same answer as a real device: same status, same
 * JSON keys, same lengths (the decoy imitates RSA-2048), and the same work behind it: a database
 * lookup and a pending record written to Redis with the same TTL, whose secret nobody knows. The
 * answer step then fails like a wrong answer does. Pending records are taken with GETDEL: single
 * use, burned by a wrong answer, a replay, an answer at another kind's endpoint, or an answer
 * refused by the rate limit.
 *
 * Round trips: the issue step reads the device's revocation generation (with the rate check, one
 * pipelined write), then the device row, then stores the pending record with what the answer step
 * needs (the key's fingerprint, for a nonce the key itself, and the generation). The answer step
 * takes the record (with the rate check, one write) and creates the session only if the
 * generation is unchanged: it reads no row (docs/device-auth.md, the race with a revocation).
 */
@Injectable()
export class DeviceLoginService {
  /** Signatures for decoy nonces are checked against this key, so they cost a verification too. */
  private readonly decoyKey: KeyObject = generateKeyPairSync('ed25519').publicKey;
  private readonly keys = new DevicePublicKeyCache();

  constructor(
    @Inject(DEVICE_AUTH_STORE) private readonly store: DeviceAuthStore,
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    private readonly sessions: DeviceSessionsService,
    private readonly limiter: DeviceAuthRateLimiter,
    @Inject(DEVICE_AUTH_SETTINGS) private readonly settings: DeviceAuthSettings,
  ) {}

  /** `POST /auth/<kind>/login {id}`. */
  async issueChallenge(
    kind: DeviceKind,
    deviceId: string,
    address: string,
  ): Promise<ChallengeView> {
    const generation = await this.generationAfterLimit(address, kind, deviceId);
    const device = await this.directory.findActive(kind, deviceId);
    // A decoy for no device and for an Ed25519 key (which cannot decrypt).
    const issued = issueChallenge(device?.key ?? null);
    const genuine = device !== null && issued.secretHash !== null;
    const requestId = randomUUID();
    const pending: PendingChallenge = {
      kind,
      device_id: deviceId,
      secret_hash: issued.secretHash ?? hashSecret(createNonce()),
      key_fingerprint: genuine ? device.key.fingerprint : createNonce(),
      generation,
    };
    await this.store.putPending('challenge', requestId, pending, this.settings.challengeTtlSeconds);
    return { request_id: requestId, data: issued.data };
  }

  /** `POST /auth/<kind>/login_code {request_id, data}`. */
  async answerChallenge(
    kind: DeviceKind,
    requestId: string,
    answer: string,
    address: string,
  ): Promise<TokenView> {
    const pending = await this.takeAfterLimit(address, 'challenge', requestId);
    if (
      !hasStrings(pending, ['kind', 'device_id', 'secret_hash', 'key_fingerprint', 'generation']) ||
      pending.kind !== kind ||
      !secretMatches(pending.secret_hash, answer)
    ) {
      throw deviceAuthErrors.invalidCredentials();
    }
    return this.startSession(
      { id: pending.device_id, kind, keyFingerprint: pending.key_fingerprint },
      pending.generation,
    );
  }

  /** `POST /auth/<kind>/nonce {id}`. */
  async issueNonce(kind: DeviceKind, deviceId: string, address: string): Promise<NonceView> {
    const generation = await this.generationAfterLimit(address, kind, deviceId);
    const device = await this.directory.findActive(kind, deviceId);
    const requestId = randomUUID();
    const nonce = createNonce();
    const pending: PendingNonce = {
      kind,
      device_id: deviceId,
      nonce,
      key_fingerprint: device ? device.key.fingerprint : createNonce(),
      public_key: device ? device.key.spkiPem : null,
      generation,
    };
    await this.store.putPending('nonce', requestId, pending, this.settings.challengeTtlSeconds);
    return { request_id: requestId, nonce };
  }

  /** `POST /auth/<kind>/login_signature {request_id, signature}`. */
  async answerSignature(
    kind: DeviceKind,
    requestId: string,
    signature: string,
    address: string,
  ): Promise<TokenView> {
    const pending = await this.takeAfterLimit(address, 'nonce', requestId);
    if (
      !hasStrings(pending, ['kind', 'device_id', 'nonce', 'key_fingerprint', 'generation']) ||
      pending.kind !== kind
    ) {
      throw deviceAuthErrors.invalidCredentials();
    }
    const publicKey = (pending as { public_key?: unknown }).public_key;
    const genuine = typeof publicKey === 'string';
    // The message is rebuilt from what the server stored, never from the request.
    const valid = await verifyLoginSignature(
      genuine ? this.keys.parse(pending.key_fingerprint, publicKey) : this.decoyKey,
      { kind, deviceId: pending.device_id, requestId, nonce: pending.nonce },
      signature,
    );
    if (!genuine || !valid) throw deviceAuthErrors.invalidCredentials();
    return this.startSession(
      { id: pending.device_id, kind, keyFingerprint: pending.key_fingerprint },
      pending.generation,
    );
  }

  /**
   * The rate check of an issue step and the device's generation, sent together (one pipelined
   * write). The generation is read before the device row, which the race with a revocation needs.
   */
  private async generationAfterLimit(
    address: string,
    kind: DeviceKind,
    deviceId: string,
  ): Promise<string> {
    const [, generation] = await Promise.all([
      this.limiter.issue(address, kind, deviceId),
      this.store.deviceGeneration(deviceId),
    ]);
    return generation;
  }

  /** The rate check of an answer step and the pending record, taken together (one write). */
  private async takeAfterLimit(
    address: string,
    type: 'challenge' | 'nonce',
    requestId: string,
  ): Promise<unknown> {
    const [, pending] = await Promise.all([
      this.limiter.answer(address),
      this.store.takePending(type, requestId),
    ]);
    return pending;
  }

  private async startSession(device: LoggedInDevice, generation: string): Promise<TokenView> {
    const token = await this.sessions.create(device, generation);
    if (token === null) throw deviceAuthErrors.invalidCredentials();
    return { token };
  }
}
