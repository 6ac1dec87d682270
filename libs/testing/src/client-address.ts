import { randomBytes } from 'node:crypto';

/** What a device client takes as `fetch` (structurally @platform/device-client's FetchLike). */
export type ClientFetch = (url: string, init: RequestInit) => Promise<Response>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An address of the IPv6 documentation prefix (2001:db8::/32, RFC 3849) with 96 random bits: no
 * other test world draws the same one, so base's per-address windows (device logins,
 * registrations) belong to one world. (A random TEST-NET-3 address, 1 of 254, was shared between
 * suites often enough to fail one with RATE_LIMITED.)
 */
export function uniqueClientAddress(): string {
  const groups = randomBytes(12).toString('hex').match(/.{4}/g) ?? [];
  return `2001:db8:${groups.join(':')}`;
}

/**
 * `fetch` for device clients in end-to-end tests: speaks from `address` (X-Forwarded-For, which
 * nginx appends to and base trusts from loopback; a function gives each request its own) and waits
 * out the gateway's own 429s (nginx limits /auth per connection address, and every test connects
 * from 127.0.0.1). Base's own RATE_LIMITED comes back as it is.
 */
export function fetchFromAddress(
  address: string | (() => string) = uniqueClientAddress(),
): ClientFetch {
  return async (url, init) => {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      headers.set('x-forwarded-for', typeof address === 'string' ? address : address());
      const response = await fetch(url, { ...init, headers });
      if (response.status !== 429 || attempt >= 40) return response;
      const body = (await response.clone().json()) as { code?: unknown };
      if (body.code !== 'TOO_MANY_REQUESTS') return response;
      await sleep(250);
    }
  };
}
