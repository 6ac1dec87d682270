import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type CredentialPrincipal, type CredentialVerifier } from '@platform/auth';
import { Repository } from 'typeorm';
import { telemetryError } from '../api/telemetry.errors';
import { ApiKeyEntity } from '../storage/entities/api-key.entity';

/** Every key starts so: the guard tells it from a Keycloak JWT without verifying either. */
export const API_KEY_PREFIX = 'tlm_';
const KEY = /^tlm_[A-Za-z0-9_-]{43}$/;

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** 256 bits from the CSPRNG, base64url: `tlm_` + 43 characters. */
export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export interface ApiKeyView {
  id: string;
  name: string;
  keyPrefix: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

function view(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    keyPrefix: entity.keyPrefix,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * API keys of the REST API: created and revoked by an admin, stored as SHA-256 (a 256-bit random
 * key needs no slow hash: nothing to brute-force), shown once at creation. The guard asks
 * {@link verify} for any bearer token starting `tlm_` on routes marked `@AlsoAccepts('api-key')`.
 */
@Injectable()
export class ApiKeysService implements CredentialVerifier {
  readonly kind = 'api-key';

  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  claims(token: string): boolean {
    return token.startsWith(API_KEY_PREFIX);
  }

  async verify(token: string): Promise<CredentialPrincipal> {
    const invalid = () => telemetryError('INVALID_API_KEY', 'Unknown or revoked API key');
    if (!KEY.test(token)) throw invalid();
    const hash = hashApiKey(token);
    const entity = await this.keys.findOneBy({ keyHash: hash });
    if (!entity || entity.revokedAt || !timingSafeEqual(entity.keyHash, hash)) throw invalid();
    // At most one write a minute per key.
    if (!entity.lastUsedAt || Date.now() - entity.lastUsedAt.getTime() > 60_000) {
      await this.keys.update({ id: entity.id }, { lastUsedAt: new Date() });
    }
    return { type: 'credential', kind: this.kind, id: entity.id, name: entity.name };
  }

  async create(name: string, createdBy: string): Promise<ApiKeyView & { key: string }> {
    const key = newApiKey();
    const entity = await this.keys.save(
      this.keys.create({
        name,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, 10),
        createdBy,
        revokedAt: null,
        lastUsedAt: null,
      }),
    );
    return { ...view(entity), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(view);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const entity = await this.keys.findOneBy({ id });
    if (!entity) throw telemetryError('API_KEY_NOT_FOUND', `No API key ${id}`);
    if (!entity.revokedAt) {
      entity.revokedAt = new Date();
      await this.keys.update({ id }, { revokedAt: entity.revokedAt });
    }
    return view(entity);
  }
}
