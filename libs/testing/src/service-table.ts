import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One row of services/services.tsv, the platform's one list of services. */
export interface ServiceTableRow {
  name: string;
  /** URL prefix behind the gateway, e.g. `/base_api`. */
  prefix: string;
  defaultHttpPort: number;
  databaseRole: string;
  /** Variable of the nginx template that holds the service's upstream address. */
  upstreamVariable: string;
  /** NAME=STACK_VARIABLE pairs the service gets beyond the common environment. */
  extraEnv: string[];
}

export const SERVICE_TABLE_PATH = resolve(__dirname, '../../../services/services.tsv');

export function parseServiceTable(text: string): ServiceTableRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const cells = line.split('\t');
      if (cells.length !== 6) {
        throw new Error(`services.tsv: expected 6 tab-separated columns in "${line}"`);
      }
      const [name, prefix, port, databaseRole, upstreamVariable, extra] = cells as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      return {
        name,
        prefix,
        defaultHttpPort: Number(port),
        databaseRole,
        upstreamVariable,
        extraEnv: extra === '-' ? [] : extra.split(','),
      };
    });
}

export function readServiceTable(path = SERVICE_TABLE_PATH): ServiceTableRow[] {
  return parseServiceTable(readFileSync(path, 'utf8'));
}
