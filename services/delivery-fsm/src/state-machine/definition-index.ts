import type {
  ActionDefinition,
  EntityType,
  FsmDefinition,
  StateDefinition,
  TransitionDefinition,
} from './model';

/** Lookups over one definition, built once per definition object. */
export interface DefinitionIndex {
  /** `entityType/state name` → state. */
  readonly states: ReadonlyMap<string, StateDefinition>;
  /** `entityType/name or alias` → action. */
  readonly actions: ReadonlyMap<string, ActionDefinition>;
  /** `entityType/from/action` → transition (the first one when the checker would complain). */
  readonly transitions: ReadonlyMap<string, TransitionDefinition>;
  /** `entityType/from` → transitions in definition order. */
  readonly outgoing: ReadonlyMap<string, readonly TransitionDefinition[]>;
}

export function stateKey(entityType: EntityType, state: string): string {
  return `${entityType}/${state}`;
}

export function transitionKey(entityType: EntityType, from: string, action: string): string {
  return `${entityType}/${from}/${action}`;
}

const cache = new WeakMap<FsmDefinition, DefinitionIndex>();

export function indexDefinition(definition: FsmDefinition): DefinitionIndex {
  const cached = cache.get(definition);
  if (cached) return cached;
  const states = new Map<string, StateDefinition>();
  for (const state of definition.states) {
    const key = stateKey(state.entityType, state.name);
    if (!states.has(key)) states.set(key, state);
  }
  const actions = new Map<string, ActionDefinition>();
  for (const action of definition.actions) {
    for (const name of [action.name, ...(action.aliases ?? [])]) {
      const key = stateKey(action.entityType, name);
      if (!actions.has(key)) actions.set(key, action);
    }
  }
  const transitions = new Map<string, TransitionDefinition>();
  const outgoing = new Map<string, TransitionDefinition[]>();
  for (const transition of definition.transitions) {
    const key = transitionKey(transition.entityType, transition.from, transition.action);
    if (!transitions.has(key)) transitions.set(key, transition);
    const fromKey = stateKey(transition.entityType, transition.from);
    outgoing.set(fromKey, [...(outgoing.get(fromKey) ?? []), transition]);
  }
  const index: DefinitionIndex = { states, actions, transitions, outgoing };
  cache.set(definition, index);
  return index;
}
