// Prints the delivery state machine as Mermaid, from the same definition the service runs:
//   npx tsx --tsconfig tsconfig.base.json services/delivery-fsm/scripts/render-diagram.ts [order|trip|cell]
// With --write-doc it refreshes the diagrams embedded in docs/delivery-fsm.md between their
// `<!-- mermaid:<entity> -->` and `<!-- /mermaid -->` markers, in the layout Prettier keeps (a spec
// fails while they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deliveryFsmDefinition,
  ENTITY_TYPES,
  toMermaid,
  type EntityType,
} from '../src/state-machine';

const args = process.argv.slice(2);
const entityType = args.find((arg): arg is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(arg),
);

if (args.includes('--write-doc')) {
  const doc = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../docs/delivery-fsm.md',
  );
  let text = readFileSync(doc, 'utf8');
  for (const type of ENTITY_TYPES) {
    const block = new RegExp(`(<!-- mermaid:${type} -->)[\\s\\S]*?(<!-- /mermaid -->)`);
    text = text.replace(
      block,
      (_match, open: string, close: string) =>
        `${open}\n\n\`\`\`mermaid\n${toMermaid(deliveryFsmDefinition, type)}\n\`\`\`\n\n${close}`,
    );
  }
  writeFileSync(doc, text);
  process.stdout.write(`updated ${doc}\n`);
} else {
  process.stdout.write(`${toMermaid(deliveryFsmDefinition, entityType)}\n`);
}
