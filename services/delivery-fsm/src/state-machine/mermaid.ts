import type { EntityType, FsmDefinition, StateKind } from './model';

const INDENT = '  ';
/** Failure and terminal states are coloured so the recovery edges stand out. */
const STATE_CLASSES: Partial<Record<StateKind, string>> = {
  failure: 'fill:#fde2e2,stroke:#c0392b',
  terminal: 'fill:#e6e6e6,stroke:#555555',
};

function entityLines(definition: FsmDefinition, entityType: EntityType): string[] {
  const entity = definition.entityTypes.find((e) => e.name === entityType);
  const states = definition.states.filter((s) => s.entityType === entityType);
  const lines: string[] = [];
  if (entity) lines.push(`[*] --> ${entity.initialState}`);
  for (const t of definition.transitions.filter((t) => t.entityType === entityType)) {
    lines.push(`${t.from} --> ${t.to} : ${t.action}`);
  }
  for (const state of states.filter((s) => s.kind === 'terminal')) {
    lines.push(`${state.name} --> [*]`);
  }
  return lines;
}

/** Class lines go at the top level: Mermaid does not accept them inside composite states. */
function classLines(definition: FsmDefinition, entityTypes: readonly EntityType[]): string[] {
  const states = definition.states.filter((s) => entityTypes.includes(s.entityType));
  return Object.entries(STATE_CLASSES).flatMap(([kind, style]) => {
    const members = states.filter((s) => s.kind === kind).map((s) => s.name);
    return members.length > 0
      ? [`classDef ${kind} ${style}`, `class ${members.join(',')} ${kind}`]
      : [];
  });
}

/**
 * Mermaid `stateDiagram-v2` text of one entity type, or of all of them as composite states. The
 * output follows the definition's order only, so the same definition always gives the same text.
 */
export function toMermaid(definition: FsmDefinition, entityType?: EntityType): string {
  const header = ['stateDiagram-v2', `${INDENT}%% delivery-fsm definition ${definition.version}`];
  if (entityType !== undefined) {
    const lines = [...entityLines(definition, entityType), ...classLines(definition, [entityType])];
    return [...header, ...lines.map((l) => INDENT + l)].join('\n');
  }
  const body = definition.entityTypes.flatMap((entity) => [
    `state "${entity.label}" as ${entity.name} {`,
    ...entityLines(definition, entity.name).map((l) => INDENT + l),
    '}',
  ]);
  const all = definition.entityTypes.map((entity) => entity.name);
  return [...header, ...[...body, ...classLines(definition, all)].map((l) => INDENT + l)].join(
    '\n',
  );
}
