import { deliveryFsmDefinition, DELIVERY_FSM_VERSION, type FsmDefinition } from '../state-machine';
import definition100 from './seed/fsm-definition-1.0.0.json';
import definition110 from './seed/fsm-definition-1.1.0.json';
import definition120 from './seed/fsm-definition-1.2.0.json';
import definition130 from './seed/fsm-definition-1.3.0.json';

/** Every seeded version, oldest first. */
const SEEDS: Readonly<Record<string, unknown>> = {
  '1.0.0': definition100,
  '1.1.0': definition110,
  '1.2.0': definition120,
  '1.3.0': definition130,
};

describe('the seeded definition versions', () => {
  it('seeds the version new entities are created under exactly as the code defines it', () => {
    // A frozen snapshot that drifted from definition.ts would run entities under another graph
    // than the one the tests exercise.
    expect(SEEDS[DELIVERY_FSM_VERSION]).toEqual(JSON.parse(JSON.stringify(deliveryFsmDefinition)));
  });

  it.each(
    Object.keys(SEEDS)
      .slice(1)
      .map((version, i) => [Object.keys(SEEDS)[i] as string, version]),
  )(
    'keeps every cell state and transition of %s in %s, so cells can move up (definition-version.ts)',
    (previous, version) => {
      const older = SEEDS[previous] as FsmDefinition;
      const newer = SEEDS[version] as FsmDefinition;
      const cellsOf = <T extends { entityType: string }>(items: readonly T[]) =>
        items.filter((item) => item.entityType === 'cell');
      expect(cellsOf(newer.states)).toEqual(expect.arrayContaining(cellsOf(older.states)));
      expect(cellsOf(newer.actions)).toEqual(expect.arrayContaining(cellsOf(older.actions)));
      expect(cellsOf(newer.transitions)).toEqual(
        expect.arrayContaining(cellsOf(older.transitions)),
      );
      expect(newer.entityTypes.find((t) => t.name === 'cell')).toEqual(
        older.entityTypes.find((t) => t.name === 'cell'),
      );
    },
  );
});
