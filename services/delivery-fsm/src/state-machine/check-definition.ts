import { stateKey, transitionKey } from './definition-index';
import {
  DEVICE_OWNERSHIP_RULES,
  EFFECT_ENTITIES,
  ENTITY_TYPES,
  OWNERSHIP_RULE_ENTITIES,
  OWNERSHIP_RULES,
  ROLES,
  STAFF_ROLES,
  TIMEOUT_NAMES,
  type Effect,
  type EntityType,
  type FsmDefinition,
  type OwnershipRule,
  type Role,
  type StateDefinition,
  type TransitionDefinition,
} from './model';

/** Everything checkDefinition() can find wrong; the service refuses to start on any of them. */
export const DEFINITION_PROBLEM_CODES = [
  'EMPTY_VERSION',
  'MISSING_ENTITY_TYPE',
  'DUPLICATE_NAME',
  'BAD_INITIAL_STATE',
  'UNKNOWN_STATE',
  'UNKNOWN_ACTION',
  'DUPLICATE_TRANSITION',
  'UNREACHABLE_STATE',
  'DEAD_END',
  'TERMINAL_WITH_EXIT',
  'UNUSED_ACTION',
  'FAILURE_WITHOUT_RECOVERY',
  'STAFF_NOT_ALLOWED',
  'BAD_ROLE_RULE',
  'BAD_TIMEOUT',
  'BAD_EFFECT',
  'CASCADE_NOT_ALLOWED',
] as const;
export type DefinitionProblemCode = (typeof DEFINITION_PROBLEM_CODES)[number];

export interface DefinitionProblem {
  readonly code: DefinitionProblemCode;
  readonly message: string;
}

type Report = (code: DefinitionProblemCode, message: string) => void;

function isEntityType(value: unknown): value is EntityType {
  return (ENTITY_TYPES as readonly unknown[]).includes(value);
}

function describe(transition: TransitionDefinition): string {
  return `${String(transition.entityType)}: ${transition.from} --${transition.action}--> ${transition.to}`;
}

/**
 * Soundness of a definition, as a list of problems (empty when sound). It works on data that may
 * come from a table or JSON, so it never trusts the static types: a missing entity type is reported,
 * not assumed away.
 */
export function checkDefinition(definition: FsmDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report: Report = (code, message) => problems.push({ code, message });
  if (typeof definition.version !== 'string' || definition.version.trim() === '') {
    report('EMPTY_VERSION', 'the definition has no version');
  }
  checkEntityTypes(definition, report);
  checkNames(definition, report);
  const transitions = checkTransitions(definition, report);
  checkGraph(definition, transitions, report);
  checkTimeouts(definition, transitions, report);
  checkEffects(definition, transitions, report);
  return problems;
}

function declaredEntityTypes(definition: FsmDefinition): Set<EntityType> {
  return new Set(definition.entityTypes.map((entity) => entity.name).filter(isEntityType));
}

function checkEntityTypes(definition: FsmDefinition, report: Report): void {
  const declared = declaredEntityTypes(definition);
  const items: { kind: string; name: string; entityType: unknown }[] = [
    ...definition.entityTypes.map((e) => ({
      kind: 'entity type',
      name: e.name,
      entityType: e.name,
    })),
    ...definition.states.map((s) => ({ kind: 'state', name: s.name, entityType: s.entityType })),
    ...definition.actions.map((a) => ({ kind: 'action', name: a.name, entityType: a.entityType })),
    ...definition.transitions.map((t) => ({
      kind: 'transition',
      name: describe(t),
      entityType: t.entityType,
    })),
  ];
  for (const item of items) {
    if (!isEntityType(item.entityType) || !declared.has(item.entityType)) {
      report(
        'MISSING_ENTITY_TYPE',
        `${item.kind} ${item.name} has no declared entity type (${String(item.entityType)})`,
      );
    }
  }
  for (const entity of definition.entityTypes) {
    const initial = definition.states.find(
      (s) => s.entityType === entity.name && s.name === entity.initialState,
    );
    if (initial?.kind !== 'initial') {
      report(
        'BAD_INITIAL_STATE',
        `${entity.name}: initial state ${entity.initialState} is not an "initial" state of it`,
      );
    }
    const others = definition.states.filter(
      (s) => s.entityType === entity.name && s.kind === 'initial' && s.name !== entity.initialState,
    );
    for (const other of others) {
      report('BAD_INITIAL_STATE', `${entity.name}: ${other.name} is a second initial state`);
    }
  }
}

/** State names are stored in status columns and action names come from clients: both unique. */
function checkNames(definition: FsmDefinition, report: Report): void {
  for (const [kind, items] of [
    ['state', definition.states],
    ['action', definition.actions],
  ] as const) {
    const seen = new Set<string>();
    for (const item of items) {
      for (const name of [item.name, ...(item.aliases ?? [])]) {
        if (seen.has(name)) report('DUPLICATE_NAME', `${kind} name or alias ${name} is used twice`);
        seen.add(name);
      }
    }
  }
  for (const entity of definition.entityTypes.filter(
    (e, i, all) => all.findIndex((other) => other.name === e.name) !== i,
  )) {
    report('DUPLICATE_NAME', `entity type ${entity.name} is declared twice`);
  }
}

/** Checks each transition on its own; returns those fit for the graph checks. */
function checkTransitions(definition: FsmDefinition, report: Report): TransitionDefinition[] {
  const states = new Set(definition.states.map((s) => stateKey(s.entityType, s.name)));
  const actions = new Set(definition.actions.map((a) => stateKey(a.entityType, a.name)));
  const seen = new Set<string>();
  const usable: TransitionDefinition[] = [];
  for (const transition of definition.transitions) {
    const { entityType } = transition;
    let fit = true;
    for (const state of [transition.from, transition.to]) {
      if (!states.has(stateKey(entityType, state))) {
        report('UNKNOWN_STATE', `${describe(transition)}: ${state} is not a ${entityType} state`);
        fit = false;
      }
    }
    if (!actions.has(stateKey(entityType, transition.action))) {
      report(
        'UNKNOWN_ACTION',
        `${describe(transition)}: ${transition.action} is not a ${entityType} action`,
      );
      fit = false;
    }
    const key = transitionKey(entityType, transition.from, transition.action);
    if (seen.has(key)) {
      report('DUPLICATE_TRANSITION', `${describe(transition)}: (${key}) has a second target`);
      fit = false;
    }
    seen.add(key);
    checkRoles(transition, report);
    if (fit) usable.push(transition);
  }
  return usable;
}

function checkRoles(transition: TransitionDefinition, report: Report): void {
  for (const staff of STAFF_ROLES) {
    if (transition.allowed[staff] !== 'any') {
      report(
        'STAFF_NOT_ALLOWED',
        `${describe(transition)}: ${staff} must be allowed on any entity`,
      );
    }
  }
  for (const [role, rule] of Object.entries(transition.allowed) as [string, unknown][]) {
    const problem = roleRuleProblem(role, rule, transition.entityType);
    if (problem)
      report('BAD_ROLE_RULE', `${describe(transition)}: ${role} → ${String(rule)}: ${problem}`);
  }
}

function roleRuleProblem(role: string, rule: unknown, entityType: EntityType): string | undefined {
  if (!(ROLES as readonly string[]).includes(role)) return 'unknown role';
  if (!(OWNERSHIP_RULES as readonly unknown[]).includes(rule)) return 'unknown ownership rule';
  const ownership = rule as OwnershipRule;
  if (!OWNERSHIP_RULE_ENTITIES[ownership].includes(entityType)) {
    return `the rule does not apply to a ${entityType}`;
  }
  const deviceRule = (DEVICE_OWNERSHIP_RULES as readonly OwnershipRule[]).includes(ownership);
  if (role === 'system' && ownership !== 'any') return 'the system owns nothing';
  if (role === 'locker' && !deviceRule) return 'a locker controller is matched by a device rule';
  if (role !== 'locker' && deviceRule) return 'a device rule needs the locker role';
  return undefined;
}

function checkGraph(
  definition: FsmDefinition,
  transitions: readonly TransitionDefinition[],
  report: Report,
): void {
  const outgoing = new Map<string, TransitionDefinition[]>();
  for (const t of transitions) {
    const key = stateKey(t.entityType, t.from);
    outgoing.set(key, [...(outgoing.get(key) ?? []), t]);
  }
  const reachable = new Set<string>();
  for (const entity of definition.entityTypes) {
    visit(stateKey(entity.name, entity.initialState), outgoing, reachable, () => true);
  }
  for (const state of definition.states) {
    const key = stateKey(state.entityType, state.name);
    const exits = outgoing.get(key) ?? [];
    if (!reachable.has(key)) report('UNREACHABLE_STATE', `${key} cannot be reached`);
    if (state.kind === 'terminal' && exits.length > 0) {
      report('TERMINAL_WITH_EXIT', `${key} is terminal but has ${exits.length} transition(s)`);
    }
    if (state.kind !== 'terminal' && exits.length === 0) {
      report('DEAD_END', `${key} is not terminal and has no way out`);
    }
    if (state.kind === 'failure' && !recovers(state, definition, outgoing)) {
      report('FAILURE_WITHOUT_RECOVERY', `${key}: staff cannot bring it back to an active state`);
    }
  }
  const used = new Set(transitions.map((t) => stateKey(t.entityType, t.action)));
  for (const action of definition.actions) {
    if (!used.has(stateKey(action.entityType, action.name))) {
      report('UNUSED_ACTION', `${stateKey(action.entityType, action.name)} has no transition`);
    }
  }
}

function visit(
  start: string,
  outgoing: ReadonlyMap<string, readonly TransitionDefinition[]>,
  seen: Set<string>,
  follow: (transition: TransitionDefinition) => boolean,
): void {
  const queue = [start];
  while (queue.length > 0) {
    const key = queue.pop() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const t of outgoing.get(key) ?? []) {
      if (follow(t)) queue.push(stateKey(t.entityType, t.to));
    }
  }
}

/** A failure state recovers when staff transitions lead from it to an initial or active state. */
function recovers(
  state: StateDefinition,
  definition: FsmDefinition,
  outgoing: ReadonlyMap<string, readonly TransitionDefinition[]>,
): boolean {
  const staffReach = new Set<string>();
  visit(stateKey(state.entityType, state.name), outgoing, staffReach, (t) =>
    STAFF_ROLES.some((role) => t.allowed[role] !== undefined),
  );
  return definition.states.some(
    (s) =>
      (s.kind === 'active' || s.kind === 'initial') &&
      staffReach.has(stateKey(s.entityType, s.name)),
  );
}

function allowsRole(
  transitions: readonly TransitionDefinition[],
  entityType: EntityType,
  action: string,
  role: Role,
): boolean {
  return transitions.some(
    (t) => t.entityType === entityType && t.action === action && t.allowed[role] !== undefined,
  );
}

function checkTimeouts(
  definition: FsmDefinition,
  transitions: readonly TransitionDefinition[],
  report: Report,
): void {
  for (const state of definition.states) {
    const names = new Set<string>();
    for (const timeout of state.timeouts ?? []) {
      const where = `${stateKey(state.entityType, state.name)} timeout ${String(timeout.name)}`;
      if (!(TIMEOUT_NAMES as readonly string[]).includes(timeout.name)) {
        report('BAD_TIMEOUT', `${where}: unknown timeout name`);
      }
      if (names.has(timeout.name)) report('BAD_TIMEOUT', `${where}: declared twice`);
      names.add(timeout.name);
      const exit = transitions.find(
        (t) =>
          t.entityType === state.entityType && t.from === state.name && t.action === timeout.action,
      );
      if (exit?.allowed.system === undefined) {
        report(
          'BAD_TIMEOUT',
          `${where}: ${timeout.action} is not a transition the system may fire from this state`,
        );
      }
    }
  }
}

/** Actions an effect makes the service fire on other entities, with the roles that fire them. */
function cascades(
  effect: Effect,
  firedBy: readonly Role[],
): { actions: readonly string[]; roles: readonly Role[] } {
  switch (effect.kind) {
    case 'fan_out_to_trip_orders':
      return { actions: [effect.action], roles: ['system'] };
    case 'notify_cell_order':
      return { actions: [...effect.whenSource, ...effect.whenDest], roles: firedBy };
    default:
      return { actions: [], roles: [] };
  }
}

function checkEffects(
  definition: FsmDefinition,
  transitions: readonly TransitionDefinition[],
  report: Report,
): void {
  const orderActions = new Set(
    definition.actions.filter((a) => a.entityType === 'order').map((a) => a.name),
  );
  const orderStates = new Set(
    definition.states.filter((s) => s.entityType === 'order').map((s) => s.name),
  );
  for (const transition of transitions) {
    for (const effect of transition.effects) {
      checkOnlyFrom(transition, effect, orderStates, transitions, report);
      const owner = EFFECT_ENTITIES[effect.kind] as EntityType | undefined;
      if (owner === undefined) {
        report('BAD_EFFECT', `${describe(transition)}: unknown effect ${String(effect.kind)}`);
        continue;
      }
      if (owner !== transition.entityType) {
        report('BAD_EFFECT', `${describe(transition)}: ${effect.kind} is an effect of a ${owner}`);
      }
      const firedBy = (Object.keys(transition.allowed) as Role[]).filter(
        (role) => !(STAFF_ROLES as readonly Role[]).includes(role),
      );
      const cascade = cascades(effect, firedBy);
      for (const action of cascade.actions) {
        if (!orderActions.has(action)) {
          report(
            'BAD_EFFECT',
            `${describe(transition)}: ${effect.kind} names unknown order action ${action}`,
          );
          continue;
        }
        for (const role of cascade.roles) {
          if (!allowsRole(transitions, 'order', action, role)) {
            report(
              'CASCADE_NOT_ALLOWED',
              `${describe(transition)}: ${effect.kind} fires ${action} as ${role}, which may never fire it`,
            );
          }
        }
      }
    }
  }
}

/**
 * A trip effect limited to orders in some states must name order states, and a fan-out must be
 * able to fire its action from each of them (else the state is listed for nothing).
 */
function checkOnlyFrom(
  transition: TransitionDefinition,
  effect: Effect,
  orderStates: ReadonlySet<string>,
  transitions: readonly TransitionDefinition[],
  report: Report,
): void {
  if (effect.kind !== 'fan_out_to_trip_orders' && effect.kind !== 'detach_trip_orders') return;
  if (effect.onlyFrom === undefined) return;
  for (const state of effect.onlyFrom) {
    if (!orderStates.has(state)) {
      report(
        'BAD_EFFECT',
        `${describe(transition)}: ${effect.kind} names unknown order state ${state}`,
      );
      continue;
    }
    if (
      effect.kind === 'fan_out_to_trip_orders' &&
      !transitions.some(
        (t) =>
          t.entityType === 'order' &&
          t.from === state &&
          t.action === effect.action &&
          t.allowed.system !== undefined,
      )
    ) {
      report(
        'CASCADE_NOT_ALLOWED',
        `${describe(transition)}: ${effect.kind} fires ${effect.action} from ${state}, where the system may not`,
      );
    }
  }
}
