import type { EntityType, FsmDefinition, StateKind } from './model';

/** Failure and terminal states are filled, as in the Mermaid diagram, so recovery edges stand out. */
const STATE_STYLES: Record<StateKind, string> = {
  initial: 'shape=box, style="rounded,bold"',
  active: 'shape=box, style=rounded',
  failure: 'shape=box, style="rounded,filled", fillcolor="#fde2e2", color="#c0392b"',
  terminal: 'shape=box, style="rounded,filled", fillcolor="#e6e6e6", color="#555555"',
};

const quoted = (text: string): string =>
  `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * Graphviz DOT of one entity type's state machine, for the rendered pictures in docs/ (Graphviz
 * lays out a graph of this size far more legibly than a browser-side Mermaid render). Follows the
 * definition's order only, so the same definition always gives the same text.
 */
export function toDot(definition: FsmDefinition, entityType: EntityType): string {
  const states = definition.states.filter((state) => state.entityType === entityType);
  const lines = [
    `digraph ${quoted(`${entityType} (delivery-fsm ${definition.version})`)} {`,
    '  rankdir=TB;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
    ...states.map(
      (state) =>
        `  ${quoted(state.name)} [label=${quoted(`${state.name}\n${state.label}`)}, ${STATE_STYLES[state.kind]}];`,
    ),
    ...definition.transitions
      .filter((transition) => transition.entityType === entityType)
      .map(
        (transition) =>
          `  ${quoted(transition.from)} -> ${quoted(transition.to)} [label=${quoted(transition.action)}];`,
      ),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
