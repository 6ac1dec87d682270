// Prints the delivery state machine as Mermaid, from the same definition the service runs:
//   npx tsx --tsconfig tsconfig.base.json services/delivery-fsm/scripts/render-diagram.ts [order|trip|cell]
// With --write-doc it refreshes the diagrams embedded in docs/delivery-fsm.md between their
// `<!-- mermaid:<entity> -->` and `<!-- /mermaid -->` markers, in the layout Prettier keeps (a spec
// fails while they differ). With --write-pictures it writes docs/delivery-fsm/<entity>.dot and
// renders each to <entity>.svg with Graphviz's `dot` (apt-get install graphviz); a spec fails
// while a committed .dot differs from the definition.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deliveryFsmDefinition,
  ENTITY_TYPES,
  toDot,
  toMermaid,
  type EntityType,
} from '../src/state-machine';

const args = process.argv.slice(2);
const entityType = args.find((arg): arg is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(arg),
);

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs');

if (args.includes('--write-pictures')) {
  const dir = path.join(docsDir, 'delivery-fsm');
  mkdirSync(dir, { recursive: true });
  for (const type of ENTITY_TYPES) {
    const dotFile = path.join(dir, `${type}.dot`);
    writeFileSync(dotFile, toDot(deliveryFsmDefinition, type));
    execFileSync('dot', ['-Tsvg', dotFile, '-o', path.join(dir, `${type}.svg`)]);
    process.stdout.write(`rendered ${path.join(dir, `${type}.svg`)}\n`);
  }
} else if (args.includes('--write-doc')) {
  const doc = path.join(docsDir, 'delivery-fsm.md');
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
