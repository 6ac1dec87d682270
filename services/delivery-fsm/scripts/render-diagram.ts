// Prints the delivery state machine as Mermaid, from the same definition the service runs:
//   npx tsx --tsconfig tsconfig.base.json services/delivery-fsm/scripts/render-diagram.ts [order|trip|cell]
// With --write-doc it refreshes the diagrams embedded in docs/delivery-fsm.md between their
// `<!-- mermaid:<entity> -->` and `<!-- /mermaid -->` markers, and the model's tables between
// `<!-- table:<name> -->` and `<!-- /table -->`, formatted by Prettier (specs fail while they differ). With --write-pictures it writes docs/delivery-fsm/<entity>.dot and
// renders each to <entity>.svg with Graphviz's `dot` (apt-get install graphviz); a spec fails
// while a committed .dot differs from the definition.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  deliveryFsmDefinition,
  ENTITY_TYPES,
  MODEL_TABLES,
  modelTable,
  toDot,
  toMarkdownTable,
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
  writeDoc().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  process.stdout.write(`${toMermaid(deliveryFsmDefinition, entityType)}\n`);
}

async function writeDoc(): Promise<void> {
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
  for (const name of MODEL_TABLES) {
    const block = new RegExp(`(<!-- table:${name} -->)[\\s\\S]*?(<!-- /table -->)`);
    text = text.replace(
      block,
      (_match, open: string, close: string) =>
        `${open}\n\n${toMarkdownTable(modelTable(deliveryFsmDefinition, name))}\n\n${close}`,
    );
  }
  const options = await prettier.resolveConfig(doc);
  writeFileSync(doc, await prettier.format(text, { ...options, filepath: doc }));
  process.stdout.write(`updated ${doc}\n`);
}
