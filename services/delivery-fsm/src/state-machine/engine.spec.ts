import { deliveryFsmDefinition as definition } from './definition';
import {
  availableActions,
  cascadeAction,
  decide,
  decideTimeout,
  resolveAction,
  timeoutJobId,
  timeoutsOfStay,
  type Actor,
  type DecisionRequest,
  type EntityFacts,
} from './engine';
import type { FsmErrorCode } from './fsm-errors';
import {
  DELIVERY_TYPES,
  PICKUP_TYPES,
  ROLES,
  type EntityType,
  type Role,
  type TimeoutDurations,
  type TransitionDefinition,
} from './model';

const durations: TimeoutDurations = {
  reservation_unused: 1_800_000,
  courier_no_pickup: 900_000,
  recipient_no_collect: 259_200_000,
  courier_no_handover: 43_200_000,
  recipient_no_confirm: 259_200_000,
  hardware_no_ack: 60_000,
  trip_activation_age: 86_400_000,
  trip_no_driver: 7_200_000,
};

const OWNER = 'owner';
const STRANGER = 'stranger';

/** Every relation of the entity points at the same person and the same locker controller. */
function factsOwnedBy(id: string, guard: TransitionDefinition['guard'] = {}): EntityFacts {
  return {
    senderUserId: id,
    recipientUserId: id,
    pickupCourierUserId: id,
    deliveryCourierUserId: id,
    tripDriverUserId: id,
    sourceLockerDeviceId: id,
    destLockerDeviceId: id,
    cellLockerDeviceId: id,
    pickupType: guard.pickupType ?? 'self',
    deliveryType: guard.deliveryType ?? 'self',
  };
}

function actor(role: Role, id = OWNER): Actor {
  return role === 'locker' ? { roles: [role], deviceId: id } : { roles: [role], userId: id };
}

function request(
  t: Pick<TransitionDefinition, 'entityType' | 'from' | 'action'>,
  who: Actor,
  facts: EntityFacts,
): DecisionRequest {
  return {
    entityType: t.entityType,
    entityId: 'e-1',
    currentState: t.from,
    stateVersion: 3,
    action: t.action,
    actor: who,
    facts,
  };
}

function refusal(decision: ReturnType<typeof decide>): FsmErrorCode | 'accepted' {
  return decision.ok ? 'accepted' : decision.error.code;
}

const label = (t: TransitionDefinition) => `${t.entityType}: ${t.from} --${t.action}-->`;
const cases = definition.transitions.map((t) => [label(t), t] as const);

describe('decide: every transition of the definition', () => {
  it.each(cases)('%s fires for each allowed role as owner', (_name, t) => {
    for (const role of Object.keys(t.allowed) as Role[]) {
      const decision = decide(
        definition,
        request(t, actor(role), factsOwnedBy(OWNER, t.guard)),
        durations,
      );
      expect(decision).toMatchObject({
        ok: true,
        fromState: t.from,
        action: t.action,
        toState: t.to,
        firedAs: role,
        newStateVersion: 4,
        effects: t.effects,
      });
    }
  });

  it.each(cases)('%s is refused to every other role', (_name, t) => {
    for (const role of ROLES.filter((r) => t.allowed[r] === undefined)) {
      const decision = decide(
        definition,
        request(t, actor(role), factsOwnedBy(OWNER, t.guard)),
        durations,
      );
      expect(refusal(decision)).toBe('ACTOR_NOT_ALLOWED');
    }
  });

  it.each(cases)('%s is refused to an allowed role that does not own the entity', (_name, t) => {
    for (const [role, rule] of Object.entries(t.allowed) as [Role, string][]) {
      const decision = decide(
        definition,
        request(t, actor(role, STRANGER), factsOwnedBy(OWNER, t.guard)),
        durations,
      );
      expect(refusal(decision)).toBe(rule === 'any' ? 'accepted' : 'NOT_OWNER');
    }
  });
});

describe('decide: ownership', () => {
  const base = {
    senderUserId: 'sender',
    recipientUserId: 'recipient',
    pickupCourierUserId: 'courier-1',
    deliveryCourierUserId: 'courier-2',
    tripDriverUserId: 'driver',
    sourceLockerDeviceId: 'locker-A',
    destLockerDeviceId: 'locker-B',
    pickupType: 'courier',
    deliveryType: 'courier',
  } as const satisfies EntityFacts;

  it.each<[string, EntityType, string, string, Actor, FsmErrorCode | 'accepted']>([
    [
      'the pickup courier',
      'order',
      'order_courier1_assigned',
      'order_courier_pickup_parcel',
      { roles: ['courier'], userId: 'courier-1' },
      'accepted',
    ],
    [
      'the delivery courier on the pickup leg',
      'order',
      'order_courier1_assigned',
      'order_courier_pickup_parcel',
      { roles: ['courier'], userId: 'courier-2' },
      'NOT_OWNER',
    ],
    [
      'the pickup courier on the delivery leg',
      'order',
      'order_courier2_assigned',
      'order_courier2_pickup_parcel',
      { roles: ['courier'], userId: 'courier-1' },
      'NOT_OWNER',
    ],
    [
      'any courier taking from the exchange',
      'order',
      'order_courier_reserved_post1_and_post2',
      'order_assign_courier1_to_order',
      { roles: ['courier'], userId: 'courier-9' },
      'accepted',
    ],
    [
      'the sender cancelling',
      'order',
      'order_courier_reserved_post1_and_post2',
      'order_cancel_reservation',
      { roles: ['client'], userId: 'sender' },
      'accepted',
    ],
    [
      'another client cancelling',
      'order',
      'order_courier_reserved_post1_and_post2',
      'order_cancel_reservation',
      { roles: ['client'], userId: 'recipient' },
      'NOT_OWNER',
    ],
    [
      'a client without user id',
      'order',
      'order_courier_reserved_post1_and_post2',
      'order_cancel_reservation',
      { roles: ['client'] },
      'NOT_OWNER',
    ],
    [
      'the recipient confirming',
      'order',
      'order_courier2_parcel_delivered',
      'order_recipient_confirmed',
      { roles: ['recipient'], userId: 'recipient' },
      'accepted',
    ],
    [
      'the sender confirming receipt',
      'order',
      'order_courier2_parcel_delivered',
      'order_recipient_confirmed',
      { roles: ['client'], userId: 'sender' },
      'ACTOR_NOT_ALLOWED',
    ],
    [
      'locker A confirming the drop-off',
      'order',
      'order_courier_has_parcel',
      'order_confirm_parcel_in',
      { roles: ['locker'], deviceId: 'locker-A' },
      'accepted',
    ],
    [
      'locker B confirming a drop-off at A',
      'order',
      'order_courier_has_parcel',
      'order_confirm_parcel_in',
      { roles: ['locker'], deviceId: 'locker-B' },
      'NOT_OWNER',
    ],
    [
      'a locker with a user id only',
      'order',
      'order_courier_has_parcel',
      'order_confirm_parcel_in',
      { roles: ['locker'], userId: 'locker-A' },
      'NOT_OWNER',
    ],
    [
      'the trip driver opening cell A',
      'order',
      'order_parcel_confirmed',
      'order_parcel_submitted',
      { roles: ['driver'], userId: 'driver' },
      'accepted',
    ],
    [
      'another driver opening cell A',
      'order',
      'order_parcel_confirmed',
      'order_parcel_submitted',
      { roles: ['driver'], userId: 'driver-2' },
      'NOT_OWNER',
    ],
    [
      'a courier who is also a client, as sender',
      'order',
      'order_courier_reserved_post1_and_post2',
      'order_cancel_reservation',
      { roles: ['courier', 'client'], userId: 'sender' },
      'accepted',
    ],
    [
      "an operator on anybody's order",
      'order',
      'order_courier1_assigned',
      'order_courier1_cancel',
      { roles: ['operator'], userId: 'op' },
      'accepted',
    ],
    [
      'an admin on a cell',
      'cell',
      'locker_error',
      'locker_reset',
      { roles: ['admin'], userId: 'adm' },
      'accepted',
    ],
    [
      'the system starting the orders (trip fan-out)',
      'order',
      'order_picked_up_from_post1',
      'order_start_transit',
      { roles: ['system'] },
      'accepted',
    ],
    [
      'a driver starting the orders instead of the trip',
      'order',
      'order_picked_up_from_post1',
      'order_start_transit',
      { roles: ['driver'], userId: 'driver' },
      'ACTOR_NOT_ALLOWED',
    ],
    [
      'the recipient of a courier delivery opening cell B',
      'order',
      'order_parcel_confirmed_post2',
      'order_pickup_poluchatel',
      { roles: ['recipient'], userId: 'recipient' },
      'CONDITION_NOT_MET',
    ],
    [
      'a courier taking a courier delivery from the exchange',
      'order',
      'order_parcel_confirmed_post2',
      'order_assign_courier2_to_order',
      { roles: ['courier'], userId: 'c' },
      'accepted',
    ],
  ])('%s', (_name, entityType, from, action, who, expected) => {
    const decision = decide(
      definition,
      request({ entityType, from, action }, who, base),
      durations,
    );
    expect(refusal(decision)).toBe(expected);
  });

  it('reports which role allowed the actor', () => {
    const decision = decide(
      definition,
      request(
        {
          entityType: 'order',
          from: 'order_courier_reserved_post1_and_post2',
          action: 'order_cancel_reservation',
        },
        { roles: ['courier', 'client'], userId: 'sender' },
        base,
      ),
      durations,
    );
    expect(decision).toMatchObject({ ok: true, firedAs: 'client' });
  });
});

describe('decide: invalid requests', () => {
  const operator: Actor = { roles: ['operator'], userId: 'op' };

  it.each<[string, EntityType, string, string, FsmErrorCode, RegExp]>([
    [
      'an action from the wrong state',
      'order',
      'order_completed',
      'order_cancel_reservation',
      'TRANSITION_NOT_FOUND',
      /not possible in order_completed/,
    ],
    [
      'a trip action on an order',
      'order',
      'order_created',
      'trip_start_trip',
      'UNKNOWN_ACTION',
      /not an action of order/,
    ],
    ['an unknown action', 'trip', 'trip_created', 'trip_fly', 'UNKNOWN_ACTION', /"trip_fly"/],
    [
      'a state of another entity',
      'order',
      'trip_created',
      'order_cancel_reservation',
      'UNKNOWN_STATE',
      /"trip_created" is not a order state/,
    ],
    [
      'a merged legacy state name as stored state',
      'cell',
      'locker_parcel_submitted',
      'locker_open_locker',
      'UNKNOWN_STATE',
      /locker_parcel_submitted/,
    ],
  ])('refuses %s', (_name, entityType, from, action, code, message) => {
    const decision = decide(
      definition,
      request({ entityType, from, action }, operator, {}),
      durations,
    );
    expect(decision).toMatchObject({
      ok: false,
      error: { code, message: expect.stringMatching(message) },
    });
  });

  it('answers 409-like with the current state', () => {
    const decision = decide(
      definition,
      request({ entityType: 'trip', from: 'trip_completed', action: 'trip_take' }, operator, {}),
      durations,
    );
    expect(decision).toEqual({
      ok: false,
      error: {
        code: 'TRANSITION_NOT_FOUND',
        kind: 'conflict',
        entityType: 'trip',
        currentState: 'trip_completed',
        action: 'trip_vzyat_reis',
        message: 'trip_vzyat_reis is not possible in trip_completed',
      },
    });
  });

  it.each([
    ['trip_take', 'trip_vzyat_reis'],
    ['trip_start_pickup', 'trip_assign_voditel'],
    ['order_client_will_deliver', 'order_client_deliv_post1'],
    ['order_picked_up_by_driver', 'order_pickup_by_voditel'],
    ['order_cancel_reservation', 'order_cancel_reservation'],
  ])('accepts the alias %s for %s', (alias, name) => {
    const entityType = definition.actions.find((a) => a.name === name)?.entityType ?? 'order';
    expect(resolveAction(definition, entityType, alias)).toBe(name);
  });
});

describe('timeouts', () => {
  const courier: Actor = { roles: ['courier'], userId: 'courier-1' };
  const facts: EntityFacts = { pickupCourierUserId: 'courier-1', pickupType: 'courier' };
  const snapshot = (state: string, stateVersion: number) => ({
    entityType: 'order' as const,
    entityId: '42',
    currentState: state,
    stateVersion,
    facts,
  });

  it('schedules the timeouts of the state entered and cancels those of the state left', () => {
    const taken = decide(
      definition,
      {
        ...snapshot('order_courier_reserved_post1_and_post2', 1),
        action: 'order_assign_courier1_to_order',
        actor: courier,
      },
      durations,
    );
    expect(taken).toMatchObject({
      ok: true,
      timeoutsToCancel: [
        'fsm-timeout.order.42.order_courier_reserved_post1_and_post2.reservation_unused.v1',
      ],
      timeoutsToSchedule: [
        {
          jobId: 'fsm-timeout.order.42.order_courier1_assigned.courier_no_pickup.v2',
          timeout: 'courier_no_pickup',
          action: 'order_timeout_no_pickup',
          delayMs: 900_000,
          entityType: 'order',
          entityId: '42',
          state: 'order_courier1_assigned',
          stateVersion: 2,
        },
      ],
    });
  });

  it('takes the durations from configuration', () => {
    const decision = decide(
      definition,
      {
        entityType: 'trip',
        entityId: 't1',
        currentState: 'trip_created',
        stateVersion: 0,
        action: 'trip_activate',
        actor: { roles: ['system'] },
        facts: {},
      },
      { ...durations, trip_no_driver: 5 },
    );
    expect(decision.ok && decision.timeoutsToSchedule.map((t) => [t.timeout, t.delayMs])).toEqual([
      ['trip_no_driver', 5],
    ]);
  });

  it.each<[string, ReturnType<typeof snapshot>, string, number, string, 'fire' | string]>([
    [
      'fires while the entity is still in that stay',
      snapshot('order_courier1_assigned', 2),
      'order_courier1_assigned',
      2,
      'courier_no_pickup',
      'fire',
    ],
    [
      'does nothing once the state is left',
      snapshot('order_courier_has_parcel', 3),
      'order_courier1_assigned',
      2,
      'courier_no_pickup',
      'STATE_LEFT',
    ],
    [
      'does nothing after leaving and re-entering the state',
      snapshot('order_courier1_assigned', 4),
      'order_courier1_assigned',
      2,
      'courier_no_pickup',
      'STATE_LEFT',
    ],
    [
      'does nothing for a timeout the state does not declare',
      snapshot('order_courier1_assigned', 2),
      'order_courier1_assigned',
      2,
      'reservation_unused',
      'TIMEOUT_NOT_DECLARED',
    ],
  ])('%s', (_name, entity, state, stateVersion, timeout, expected) => {
    const outcome = decideTimeout(
      definition,
      entity,
      { state, stateVersion, timeout: timeout as 'courier_no_pickup' },
      durations,
    );
    if (expected === 'fire') {
      expect(outcome).toMatchObject({
        fire: true,
        decision: {
          action: 'order_timeout_no_pickup',
          toState: 'order_courier_reserved_post1_and_post2',
          firedAs: 'system',
        },
      });
    } else {
      expect(outcome).toEqual({ fire: false, reason: expected });
    }
  });

  it('every declared timeout fires its action as the system', () => {
    for (const state of definition.states) {
      for (const timeout of state.timeouts ?? []) {
        const outcome = decideTimeout(
          definition,
          {
            entityType: state.entityType,
            entityId: 'x',
            currentState: state.name,
            stateVersion: 7,
            facts: factsOwnedBy(OWNER),
          },
          { state: state.name, stateVersion: 7, timeout: timeout.name },
          durations,
        );
        expect(outcome).toMatchObject({ fire: true, decision: { action: timeout.action } });
      }
    }
  });

  it.each([
    [{ entityId: 'a:b' }, /must match/],
    [{ entityId: '' }, /must match/],
    [{ state: 'x.y' }, /must match/],
    [{ stateVersion: -1 }, /non-negative integer/],
    [{ stateVersion: 1.5 }, /non-negative integer/],
  ])('refuses a job id part %j', (override, message) => {
    const key = {
      entityType: 'order' as const,
      entityId: '7',
      state: 'order_created',
      timeout: 'reservation_unused' as const,
      stateVersion: 0,
      ...override,
    };
    expect(() => timeoutJobId(key)).toThrow(message);
  });
});

describe('availableActions', () => {
  const actionsOf = (entityType: EntityType) =>
    definition.actions.filter((a) => a.entityType === entityType).map((a) => a.name);
  const variants: [string, EntityFacts][] = PICKUP_TYPES.flatMap((pickupType) =>
    DELIVERY_TYPES.flatMap(
      (deliveryType) =>
        [
          [
            `owner ${pickupType}/${deliveryType}`,
            { ...factsOwnedBy(OWNER), pickupType, deliveryType },
          ],
          [
            `stranger ${pickupType}/${deliveryType}`,
            { ...factsOwnedBy(STRANGER), pickupType, deliveryType },
          ],
        ] satisfies [string, EntityFacts][],
    ),
  );

  it.each(definition.states.map((s) => [`${s.entityType}/${s.name}`, s] as const))(
    '%s: the buttons are exactly what decide() accepts, for every role and ownership',
    (_name, state) => {
      for (const role of ROLES) {
        for (const [, facts] of variants) {
          const who = actor(role);
          const buttons = availableActions(
            definition,
            { entityType: state.entityType, currentState: state.name, facts },
            who,
          ).map((b) => b.action);
          const accepted = actionsOf(state.entityType).filter(
            (action) =>
              decide(
                definition,
                request({ entityType: state.entityType, from: state.name, action }, who, facts),
                durations,
              ).ok,
          );
          expect(buttons.sort()).toEqual(accepted.sort());
        }
      }
    },
  );

  it('offers the sender of a self drop-off its two buttons, with labels', () => {
    expect(
      availableActions(
        definition,
        {
          entityType: 'order',
          currentState: 'order_client_reserved_post1_and_post2',
          facts: { senderUserId: 'sender', pickupType: 'self' },
        },
        { roles: ['client'], userId: 'sender' },
      ),
    ).toEqual([
      {
        action: 'order_client_deliv_post1',
        label: 'Sender opens cell A to drop the parcel',
        toState: 'order_client_post1',
      },
      { action: 'order_cancel_reservation', label: 'Cancel the order', toState: 'order_cancelled' },
    ]);
  });

  it('offers nothing in an unknown state', () => {
    expect(
      availableActions(
        definition,
        { entityType: 'order', currentState: 'nope', facts: {} },
        actor('operator'),
      ),
    ).toEqual([]);
  });
});

describe('cascadeAction', () => {
  it.each<[EntityType, string, string[], string | undefined]>([
    ['order', 'order_client_post1', ['order_confirm_parcel_in'], 'order_confirm_parcel_in'],
    ['order', 'order_placing_in_post2', ['order_confirm_post2'], 'order_confirm_post2'],
    ['order', 'order_courier2_has_parcel', ['order_delivered_parcel'], undefined],
    ['order', 'order_cancelled', ['order_start_transit'], undefined],
    ['cell', 'locker_occupied', ['locker_cancel_reservation'], undefined],
    ['cell', 'locker_closed_empty', ['locker_cancel_reservation'], 'locker_cancel_reservation'],
  ])('%s in %s with %j → %s', (entityType, state, candidates, expected) => {
    expect(cascadeAction(definition, entityType, state, candidates)).toBe(expected);
  });
});

describe('timeoutsOfStay (what a sweep schedules again)', () => {
  const stay = {
    entityType: 'order' as const,
    entityId: '0b5c2f1e-6d0a-4d53-9a43-2f0b8f3c1a77',
    state: 'order_client_reserved_post1_and_post2',
    stateVersion: 3,
  };

  it('gives the stay its timeouts under the ids they were scheduled with, minus the time spent', () => {
    expect(timeoutsOfStay(definition, stay, durations, 600_000)).toEqual([
      expect.objectContaining({
        jobId: timeoutJobId({ ...stay, timeout: 'reservation_unused' }),
        action: 'order_timeout_reservation',
        delayMs: 1_200_000,
        stateVersion: 3,
      }),
    ]);
  });

  it('is due at once when overdue, and has nothing for a state without timeouts or unknown', () => {
    expect(
      timeoutsOfStay(definition, stay, durations, 5_000_000).map((job) => job.delayMs),
    ).toEqual([0]);
    expect(timeoutsOfStay(definition, { ...stay, state: 'order_completed' }, durations, 0)).toEqual(
      [],
    );
    expect(timeoutsOfStay(definition, { ...stay, state: 'no_such_state' }, durations, 0)).toEqual(
      [],
    );
  });
});
