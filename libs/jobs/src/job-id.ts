/**
 * A deterministic BullMQ job id from its parts, e.g. `jobId('order', orderId, 'courier_assigned',
 * 'pickup-timeout')`: the same parts always give the same id, so scheduling twice adds one job and
 * cancelling needs no lookup. BullMQ refuses ids with `:` (its key separator) and ids that parse
 * as integers (its own counter's space); parts are joined with `.` and any character outside
 * `[A-Za-z0-9_-]` is percent-encoded, so distinct parts never collide.
 */
export function jobId(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) {
    throw new Error('jobId needs at least one part');
  }
  const encoded = parts
    .map((part) =>
      String(part).replace(
        /[^A-Za-z0-9_-]/g,
        (character) =>
          `%${character.codePointAt(0)?.toString(16).toUpperCase().padStart(2, '0') ?? '00'}`,
      ),
    )
    .join('.');
  return /^-?\d+$/.test(encoded) ? `id.${encoded}` : encoded;
}
