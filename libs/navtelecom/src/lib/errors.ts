/** Why a unit of the byte stream was rejected; also the `reason` of a session's damaged event. */
export const NAVTELECOM_DAMAGE_REASONS = [
  'ntcb-header-checksum',
  'ntcb-body-checksum',
  'ntcb-malformed-body',
  'flex-crc',
  'flex-malformed',
  'flex-unknown-type',
  'flex-before-negotiation',
  'frame-too-large',
  'unexpected-byte',
  'text-malformed',
  'text-garbage',
  'truncated',
] as const;
export type NavtelecomDamageReason = (typeof NAVTELECOM_DAMAGE_REASONS)[number];

/** Thrown by the pure parsers for well-framed but invalid content. */
export class NavtelecomProtocolError extends Error {
  readonly reason: NavtelecomDamageReason;

  constructor(reason: NavtelecomDamageReason, message: string) {
    super(message);
    this.name = 'NavtelecomProtocolError';
    this.reason = reason;
  }
}

export function isNavtelecomProtocolError(error: unknown): error is NavtelecomProtocolError {
  return error instanceof NavtelecomProtocolError;
}
