import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NAMES } from '@platform/contracts';
import { parseServiceTable, readServiceTable } from '@platform/testing';

/**
 * services/services.tsv is the one list of services. The native stack and the Dockerfile read it;
 * the files that must spell it out again (compose.yml is checked by check-compose.sh in the e2e
 * run) are checked against it here, so adding a service in one place and not the others fails.
 */
const root = resolve(__dirname, '../..');
const read = (path: string): string => readFileSync(resolve(root, path), 'utf8');
const table = readServiceTable();

describe('the service table', () => {
  it('lists each service once, with distinct prefixes, ports and roles', () => {
    expect(table.length).toBeGreaterThan(0);
    for (const column of ['name', 'prefix', 'defaultHttpPort', 'databaseRole'] as const) {
      const values = table.map((row) => row[column]);
      expect(new Set(values).size).toBe(values.length);
    }
    for (const row of table) {
      expect(row.prefix).toMatch(/^\/[a-z]+_api$/);
      expect(Number.isInteger(row.defaultHttpPort)).toBe(true);
      expect(row.databaseRole).toMatch(/^[a-z]+$/);
      for (const pair of row.extraEnv) expect(pair).toMatch(/^[A-Z_]+=[A-Z_]+$/);
    }
  });

  it('is the list of service names of libs/contracts', () => {
    expect([...SERVICE_NAMES]).toEqual(table.map((row) => row.name));
  });

  it('gives every role a password, a role, a schema and grants in scripts/db/init-roles.sh', () => {
    const script = read('scripts/db/init-roles.sh');
    const roles = table.map((row) => row.databaseRole);
    expect(script).toContain(`SERVICE_ROLES="${roles.join(' ')}"`);
    const arrays = [...script.matchAll(/unnest\(ARRAY\[([^\]]+)\]\)/g)].map((match) =>
      [...(match[1] ?? '').matchAll(/'([a-z]+)'/g)]
        .map((quoted) => quoted[1])
        .filter((r) => r !== 'keycloak'),
    );
    expect(arrays.length).toBeGreaterThan(0);
    for (const listed of arrays) expect(listed).toEqual(roles);
    for (const role of roles) {
      expect(script).toContain(`\\getenv pw_${role} DB_PASSWORD_${role.toUpperCase()}`);
    }
  });

  it('routes every prefix to its own upstream in the nginx template', () => {
    const template = read('nginx/nginx.conf.template');
    for (const row of table) {
      const upstream = row.prefix.slice(1);
      expect(template).toMatch(
        new RegExp(`upstream ${upstream} \\{\\s*server \\$\\{${row.upstreamVariable}\\};`),
      );
      expect(template).toMatch(
        new RegExp(`location ${row.prefix}/ \\{[^}]*proxy_pass http://${upstream};`),
      );
    }
    const upstreams = [...template.matchAll(/upstream ([a-z_]+_api) \{/g)].map((m) => m[1]);
    expect(upstreams).toEqual(table.map((row) => row.prefix.slice(1)));
  });

  it('is where the Dockerfile takes its health-check prefix from', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain('COPY services/services.tsv');
    expect(dockerfile).not.toMatch(/\) prefix=\//);
  });

  it('is parsed strictly: a row with a missing column is an error', () => {
    expect(() => parseServiceTable('base\t/base_api\t3001\tbase\n')).toThrow(/6 tab-separated/);
  });
});
