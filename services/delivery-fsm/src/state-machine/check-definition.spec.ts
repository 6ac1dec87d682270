import { checkDefinition, type DefinitionProblemCode } from './check-definition';
import { deliveryFsmDefinition } from './definition';
import type {
  ActionDefinition,
  AllowedRoles,
  Effect,
  EntityType,
  FsmDefinition,
  StateDefinition,
  TransitionDefinition,
} from './model';

const STAFF = { operator: 'any', admin: 'any' } as const;

function transition(
  entityType: EntityType,
  from: string,
  action: string,
  to: string,
  allowed: AllowedRoles,
  effects: readonly Effect[] = [],
): TransitionDefinition {
  return { entityType, from, action, to, allowed: { ...allowed, ...STAFF }, effects };
}

/** A sound miniature: an order with a timeout, a failure state and a cell that notifies it. */
const toy: FsmDefinition = {
  version: 'toy-1',
  entityTypes: [
    { name: 'order', initialState: 'o_new', label: 'Order' },
    { name: 'cell', initialState: 'c_free', label: 'Cell' },
  ],
  states: [
    { name: 'o_new', entityType: 'order', kind: 'initial', label: 'new' },
    {
      name: 'o_open',
      entityType: 'order',
      kind: 'active',
      label: 'open',
      timeouts: [{ name: 'reservation_unused', action: 'o_expire' }],
    },
    { name: 'o_done', entityType: 'order', kind: 'terminal', label: 'done' },
    { name: 'o_stuck', entityType: 'order', kind: 'failure', label: 'stuck' },
    { name: 'c_free', entityType: 'cell', kind: 'initial', label: 'free' },
    { name: 'c_open', entityType: 'cell', kind: 'active', label: 'open' },
  ],
  actions: ['o_go', 'o_finish', 'o_expire', 'o_fail', 'o_fix']
    .map((name): ActionDefinition => ({ name, entityType: 'order', label: name }))
    .concat(
      ['c_open', 'c_close'].map((name) => ({ name, entityType: 'cell' as const, label: name })),
    ),
  transitions: [
    transition('order', 'o_new', 'o_go', 'o_open', { client: 'order_sender' }),
    transition('order', 'o_open', 'o_finish', 'o_done', { locker: 'source_locker' }),
    transition('order', 'o_open', 'o_expire', 'o_done', { system: 'any' }),
    transition('order', 'o_open', 'o_fail', 'o_stuck', { courier: 'pickup_courier' }),
    transition('order', 'o_stuck', 'o_fix', 'o_open', {}),
    transition('cell', 'c_free', 'c_open', 'c_open', { system: 'any' }, [
      { kind: 'issue_locker_command', command: 'OPEN_CELL' },
    ]),
    transition('cell', 'c_open', 'c_close', 'c_free', { locker: 'cell_locker' }, [
      { kind: 'notify_cell_order', whenSource: ['o_finish'], whenDest: [] },
    ]),
  ],
};

const extraState = (state: StateDefinition) => (d: FsmDefinition) => ({
  ...d,
  states: [...d.states, state],
});
const extraAction = (action: ActionDefinition) => (d: FsmDefinition) => ({
  ...d,
  actions: [...d.actions, action],
});
const extraTransition = (t: TransitionDefinition) => (d: FsmDefinition) => ({
  ...d,
  transitions: [...d.transitions, t],
});
const replaceTransition =
  (action: string, change: (t: TransitionDefinition) => TransitionDefinition) =>
  (d: FsmDefinition) => ({
    ...d,
    transitions: d.transitions.map((t) => (t.action === action ? change(t) : t)),
  });
const replaceState =
  (name: string, change: (s: StateDefinition) => StateDefinition) => (d: FsmDefinition) => ({
    ...d,
    states: d.states.map((s) => (s.name === name ? change(s) : s)),
  });
const compose =
  (...changes: ((d: FsmDefinition) => FsmDefinition)[]) =>
  (d: FsmDefinition) =>
    changes.reduce((acc, change) => change(acc), d);

/** What a definition read from a table may contain although the types forbid it. */
const untyped = <T>(value: unknown) => value as T;

describe('checkDefinition', () => {
  it('accepts the delivery definition', () => {
    expect(checkDefinition(deliveryFsmDefinition)).toEqual([]);
  });

  it('accepts the toy definition the broken cases start from', () => {
    expect(checkDefinition(toy)).toEqual([]);
  });

  it.each<[string, (d: FsmDefinition) => FsmDefinition, DefinitionProblemCode[], RegExp]>([
    ['an empty version', (d) => ({ ...d, version: ' ' }), ['EMPTY_VERSION'], /no version/],
    [
      'an action without entity type',
      extraAction({ name: 'o_orphan', entityType: untyped<EntityType>(undefined), label: '' }),
      ['MISSING_ENTITY_TYPE', 'UNUSED_ACTION'],
      /action o_orphan has no declared entity type/,
    ],
    [
      'a state of an undeclared entity type',
      compose(
        extraState({ name: 't_new', entityType: 'trip', kind: 'initial', label: '' }),
        extraState({ name: 't_end', entityType: 'trip', kind: 'terminal', label: '' }),
        extraAction({ name: 't_go', entityType: 'trip', label: '' }),
        extraTransition(transition('trip', 't_new', 't_go', 't_end', {})),
      ),
      ['MISSING_ENTITY_TYPE', 'UNREACHABLE_STATE'],
      /state t_new has no declared entity type \(trip\)/,
    ],
    [
      'an alias equal to another action',
      (d) => ({
        ...d,
        actions: d.actions.map((a) => (a.name === 'o_go' ? { ...a, aliases: ['o_finish'] } : a)),
      }),
      ['DUPLICATE_NAME'],
      /action name or alias o_finish is used twice/,
    ],
    [
      'a second initial state',
      replaceState('o_open', (s) => ({ ...s, kind: 'initial' })),
      ['BAD_INITIAL_STATE'],
      /o_open is a second initial state/,
    ],
    [
      'an initial state that is not declared initial',
      replaceState('o_new', (s) => ({ ...s, kind: 'active' })),
      ['BAD_INITIAL_STATE'],
      /initial state o_new is not an "initial" state/,
    ],
    [
      'a transition to an unknown state',
      extraTransition(transition('order', 'o_open', 'o_go', 'o_nowhere', {})),
      ['UNKNOWN_STATE'],
      /o_nowhere is not a order state/,
    ],
    [
      'a transition from a state of another entity',
      extraTransition(transition('order', 'c_free', 'o_go', 'o_open', {})),
      ['UNKNOWN_STATE'],
      /c_free is not a order state/,
    ],
    [
      'a transition on an unknown action',
      extraTransition(transition('order', 'o_open', 'o_teleport', 'o_done', {})),
      ['UNKNOWN_ACTION'],
      /o_teleport is not a order action/,
    ],
    [
      'a transition on an action of another entity',
      extraTransition(transition('order', 'o_open', 'c_open', 'o_done', {})),
      ['UNKNOWN_ACTION'],
      /c_open is not a order action/,
    ],
    [
      'a second target for (entity, from, action)',
      extraTransition(transition('order', 'o_open', 'o_finish', 'o_stuck', {})),
      ['DUPLICATE_TRANSITION'],
      /order\/o_open\/o_finish/,
    ],
    [
      'a state nothing leads to',
      compose(
        extraState({ name: 'o_island', entityType: 'order', kind: 'active', label: '' }),
        extraTransition(transition('order', 'o_island', 'o_finish', 'o_done', {})),
      ),
      ['UNREACHABLE_STATE'],
      /order\/o_island cannot be reached/,
    ],
    [
      'an active state without a way out',
      compose(
        extraState({ name: 'o_limbo', entityType: 'order', kind: 'active', label: '' }),
        extraAction({ name: 'o_wait', entityType: 'order', label: '' }),
        extraTransition(transition('order', 'o_open', 'o_wait', 'o_limbo', {})),
      ),
      ['DEAD_END'],
      /order\/o_limbo is not terminal and has no way out/,
    ],
    [
      'a terminal state with an exit',
      extraTransition(transition('order', 'o_done', 'o_fix', 'o_open', {})),
      ['TERMINAL_WITH_EXIT'],
      /order\/o_done is terminal/,
    ],
    [
      'an action no transition uses',
      extraAction({ name: 'o_never', entityType: 'order', label: '' }),
      ['UNUSED_ACTION'],
      /order\/o_never has no transition/,
    ],
    [
      'a failure state whose only exit is terminal',
      replaceTransition('o_fix', (t) => ({ ...t, to: 'o_done' })),
      ['FAILURE_WITHOUT_RECOVERY'],
      /order\/o_stuck: staff cannot bring it back/,
    ],
    [
      'a transition admin may not fire',
      replaceTransition('o_go', (t) => ({
        ...t,
        allowed: { client: 'order_sender', operator: 'any' },
      })),
      ['STAFF_NOT_ALLOWED'],
      /admin must be allowed/,
    ],
    [
      'a failure state staff cannot leave',
      replaceTransition('o_fix', (t) => ({ ...t, allowed: { client: 'order_sender' } })),
      ['STAFF_NOT_ALLOWED', 'FAILURE_WITHOUT_RECOVERY'],
      /o_stuck: staff cannot bring it back/,
    ],
    [
      'a device rule for a person',
      replaceTransition('o_go', (t) => ({
        ...t,
        allowed: { ...t.allowed, client: 'source_locker' },
      })),
      ['BAD_ROLE_RULE'],
      /a device rule needs the locker role/,
    ],
    [
      'a person rule for a locker',
      replaceTransition('o_finish', (t) => ({
        ...t,
        allowed: { ...t.allowed, locker: 'order_sender' },
      })),
      ['BAD_ROLE_RULE'],
      /a locker controller is matched by a device rule/,
    ],
    [
      'an ownership rule for the system',
      replaceTransition('o_expire', (t) => ({
        ...t,
        allowed: { ...t.allowed, system: 'order_sender' },
      })),
      ['BAD_ROLE_RULE'],
      /the system owns nothing/,
    ],
    [
      'a rule of another entity type',
      replaceTransition('c_open', (t) => ({
        ...t,
        allowed: { ...t.allowed, courier: 'pickup_courier' },
      })),
      ['BAD_ROLE_RULE'],
      /does not apply to a cell/,
    ],
    [
      'an unknown role',
      replaceTransition('o_go', (t) => ({
        ...t,
        allowed: { ...t.allowed, ...untyped<AllowedRoles>({ guest: 'any' }) },
      })),
      ['BAD_ROLE_RULE'],
      /guest → any: unknown role/,
    ],
    [
      'a timeout whose action the system may not fire',
      replaceState('o_open', (s) => ({
        ...s,
        timeouts: [{ name: 'reservation_unused', action: 'o_fail' }],
      })),
      ['BAD_TIMEOUT'],
      /o_fail is not a transition the system may fire/,
    ],
    [
      'a timeout on an action of another state',
      replaceState('o_open', (s) => ({
        ...s,
        timeouts: [{ name: 'reservation_unused', action: 'o_fix' }],
      })),
      ['BAD_TIMEOUT'],
      /o_fix is not a transition the system may fire from this state/,
    ],
    [
      'a timeout referencing an unknown action',
      replaceState('o_open', (s) => ({
        ...s,
        timeouts: [{ name: 'reservation_unused', action: 'o_gone' }],
      })),
      ['BAD_TIMEOUT'],
      /o_gone is not a transition/,
    ],
    [
      'an unknown timeout name',
      replaceState('o_open', (s) => ({
        ...s,
        timeouts: [{ name: untyped<'reservation_unused'>('lunch_break'), action: 'o_expire' }],
      })),
      ['BAD_TIMEOUT'],
      /timeout lunch_break: unknown timeout name/,
    ],
    [
      'an effect of another entity type',
      replaceTransition('o_go', (t) => ({ ...t, effects: [{ kind: 'assign_trip_driver' }] })),
      ['BAD_EFFECT'],
      /assign_trip_driver is an effect of a trip/,
    ],
    [
      'a notification naming an unknown order action',
      replaceTransition('c_close', (t) => ({
        ...t,
        effects: [{ kind: 'notify_cell_order', whenSource: [], whenDest: ['o_ghost'] }],
      })),
      ['BAD_EFFECT'],
      /names unknown order action o_ghost/,
    ],
    [
      'a notification the controller may not fire on the order',
      replaceTransition('c_close', (t) => ({
        ...t,
        effects: [{ kind: 'notify_cell_order', whenSource: ['o_go'], whenDest: [] }],
      })),
      ['CASCADE_NOT_ALLOWED'],
      /fires o_go as locker/,
    ],
  ])('reports %s', (_name, breakIt, codes, message) => {
    const problems = checkDefinition(breakIt(toy));
    expect([...new Set(problems.map((p) => p.code))].sort()).toEqual([...codes].sort());
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(message));
  });

  /** The toy with a trip whose one transition has `effects`. */
  const withTripEffects = (effects: readonly Effect[]): FsmDefinition =>
    compose(
      (d) => ({
        ...d,
        entityTypes: [...d.entityTypes, { name: 'trip', initialState: 't_new', label: 'Trip' }],
      }),
      extraState({ name: 't_new', entityType: 'trip', kind: 'initial', label: '' }),
      extraState({ name: 't_end', entityType: 'trip', kind: 'terminal', label: '' }),
      extraAction({ name: 't_go', entityType: 'trip', label: '' }),
      extraTransition(
        transition('trip', 't_new', 't_go', 't_end', { driver: 'trip_driver' }, effects),
      ),
    )(toy);

  it.each<[string, readonly Effect[], [DefinitionProblemCode, string] | undefined]>([
    [
      'a fan-out to an order action the system may not fire',
      [{ kind: 'fan_out_to_trip_orders', action: 'o_go' }],
      ['CASCADE_NOT_ALLOWED', 'fires o_go as system, which may never fire it'],
    ],
    [
      'a fan-out limited to a state the action does not leave',
      [{ kind: 'fan_out_to_trip_orders', action: 'o_expire', onlyFrom: ['o_open', 'o_new'] }],
      ['CASCADE_NOT_ALLOWED', 'fires o_expire from o_new, where the system may not'],
    ],
    [
      'a detach limited to an unknown order state',
      [{ kind: 'detach_trip_orders', onlyFrom: ['o_open', 'o_lost'] }],
      ['BAD_EFFECT', 'names unknown order state o_lost'],
    ],
    [
      'nothing for a fan-out and a detach limited to states that fit',
      [
        { kind: 'fan_out_to_trip_orders', action: 'o_expire', onlyFrom: ['o_open'] },
        { kind: 'detach_trip_orders', onlyFrom: ['o_new', 'o_stuck'] },
      ],
      undefined,
    ],
  ])('reports %s', (_name, effects, problem) => {
    expect(checkDefinition(withTripEffects(effects))).toEqual(
      problem === undefined
        ? []
        : [{ code: problem[0], message: expect.stringContaining(problem[1]) }],
    );
  });
});
