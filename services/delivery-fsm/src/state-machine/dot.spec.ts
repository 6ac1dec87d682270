import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deliveryFsmDefinition } from './definition';
import { toDot } from './dot';
import { ENTITY_TYPES } from './model';

const docs = path.resolve(__dirname, '../../../../docs/delivery-fsm');

describe('toDot', () => {
  it.each(ENTITY_TYPES)('draws every %s state and transition, deterministically', (type) => {
    const dot = toDot(deliveryFsmDefinition, type);
    expect(toDot(deliveryFsmDefinition, type)).toBe(dot);
    for (const state of deliveryFsmDefinition.states.filter((s) => s.entityType === type)) {
      expect(dot).toContain(`"${state.name}" [label=`);
    }
    const edges = deliveryFsmDefinition.transitions.filter((t) => t.entityType === type);
    expect(dot.match(/ -> /g)).toHaveLength(edges.length);
  });

  it.each(ENTITY_TYPES)(
    'is what the committed %s picture was rendered from (render-diagram.ts --write-pictures)',
    (type) => {
      expect(readFileSync(path.join(docs, `${type}.dot`), 'utf8')).toBe(
        toDot(deliveryFsmDefinition, type),
      );
      expect(readFileSync(path.join(docs, `${type}.svg`), 'utf8')).toContain('<svg');
    },
  );
});
