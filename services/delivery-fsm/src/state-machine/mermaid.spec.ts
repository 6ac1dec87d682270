import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deliveryFsmDefinition as definition } from './definition';
import { toMermaid } from './mermaid';
import { ENTITY_TYPES } from './model';

const DOC = path.resolve(__dirname, '../../../../docs/delivery-fsm.md');

describe('toMermaid', () => {
  it('is deterministic', () => {
    expect(toMermaid(definition)).toBe(toMermaid(definition));
    expect(toMermaid(definition, 'order')).toBe(toMermaid(structuredClone(definition), 'order'));
  });

  it.each(ENTITY_TYPES)('draws every %s transition and only those', (entityType) => {
    const lines = toMermaid(definition, entityType).split('\n');
    const edges = lines.filter((line) => / : /.test(line)).map((line) => line.trim());
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(edges).toEqual(
      definition.transitions
        .filter((t) => t.entityType === entityType)
        .map((t) => `${t.from} --> ${t.to} : ${t.action}`),
    );
  });

  it('marks the initial, terminal and failure states', () => {
    expect(
      toMermaid(definition, 'trip')
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(
      expect.arrayContaining([
        '[*] --> trip_created',
        'trip_completed --> [*]',
        'trip_canceled --> [*]',
        'class trip_driver_not_found,trip_failed,trip_manual_intervention_required failure',
      ]),
    );
  });

  it('nests the entity types as composite states, classes at the top level', () => {
    const all = toMermaid(definition);
    expect(all).toContain('  state "Order" as order {\n    [*] --> order_created');
    expect(all).toContain('  state "Locker cell" as cell {');
    expect(all.split('\n').filter((l) => l.startsWith('  classDef '))).toHaveLength(2);
  });
});

describe('docs/delivery-fsm.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it.each(ENTITY_TYPES)(
    'embeds the generated %s diagram (run scripts/render-diagram.ts --write-doc)',
    (entityType) => {
      const block = new RegExp(
        `<!-- mermaid:${entityType} -->\\n\\n\`\`\`mermaid\\n([\\s\\S]*?)\\n\`\`\`\\n\\n<!-- /mermaid -->`,
      );
      expect(doc.match(block)?.[1]).toBe(toMermaid(definition, entityType));
    },
  );
});
