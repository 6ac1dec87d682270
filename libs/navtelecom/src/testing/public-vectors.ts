import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The public Navtelecom test vectors (`shared/data/navtelecom/sample-vectors.json`, next to the
 * repository), for specs only.
 */
export const PUBLIC_VECTORS_FILE = path.resolve(
  __dirname,
  '../../../../../shared/data/navtelecom/sample-vectors.json',
);

export interface PublicVector {
  readonly id: string;
  readonly kind: string;
  readonly hex: string;
  readonly session: string;
  readonly derived: { readonly expected_reply_hex: string } & Readonly<Record<string, unknown>>;
}

interface PublicVectorFile {
  readonly sessions: Readonly<Record<string, { readonly ordered_vector_ids: readonly string[] }>>;
  readonly vectors: readonly PublicVector[];
}

export function loadPublicVectors(): PublicVectorFile {
  return JSON.parse(readFileSync(PUBLIC_VECTORS_FILE, 'utf8')) as PublicVectorFile;
}

/** Each session's vectors in wire order. */
export function publicSessions(): { name: string; vectors: PublicVector[] }[] {
  const file = loadPublicVectors();
  return Object.entries(file.sessions).map(([name, session]) => ({
    name,
    vectors: session.ordered_vector_ids.map((id) => {
      const vector = file.vectors.find((candidate) => candidate.id === id);
      if (!vector) throw new Error(`vector ${id} of session ${name} is missing`);
      return vector;
    }),
  }));
}
