import { jobId } from '@platform/jobs/job-id';
import { indexDefinition, stateKey, transitionKey } from './definition-index';
import { fsmErrors, type FsmError } from './fsm-errors';
import type {
  DeliveryType,
  Effect,
  EntityType,
  FsmDefinition,
  OwnershipRule,
  PickupType,
  Role,
  StateDefinition,
  TimeoutDurations,
  TimeoutName,
  TransitionDefinition,
} from './model';

/** Who fires an action: roles from the Keycloak token or the device session, and their ids. */
export interface Actor {
  readonly roles: readonly Role[];
  readonly userId?: string;
  readonly deviceId?: string;
}

/**
 * What the service knows about the entity and its relations, loaded with the row it locks. Only
 * the facts the entity type has are set; a missing fact never matches an ownership rule.
 */
export interface EntityFacts {
  readonly senderUserId?: string;
  readonly recipientUserId?: string;
  readonly pickupCourierUserId?: string;
  readonly deliveryCourierUserId?: string;
  /** The driver of the trip (of the order's trip, for an order). */
  readonly tripDriverUserId?: string;
  /** Device id of the locker that holds the order's cell in locker A / locker B. */
  readonly sourceLockerDeviceId?: string;
  readonly destLockerDeviceId?: string;
  /** Device id of the locker a cell belongs to. */
  readonly cellLockerDeviceId?: string;
  readonly pickupType?: PickupType;
  readonly deliveryType?: DeliveryType;
}

/** An entity as the service read it: its state and the version it reached when entering it. */
export interface EntitySnapshot {
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly currentState: string;
  /** Incremented by every transition; it makes each stay in a state distinguishable. */
  readonly stateVersion: number;
  readonly facts: EntityFacts;
}

export interface DecisionRequest extends EntitySnapshot {
  /** Action name or one of its aliases. */
  readonly action: string;
  readonly actor: Actor;
}

export interface TimeoutJob {
  readonly jobId: string;
  readonly timeout: TimeoutName;
  /** Fired by `system` when the job runs, if decideTimeout still agrees. */
  readonly action: string;
  readonly delayMs: number;
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly state: string;
  readonly stateVersion: number;
}

export interface AcceptedDecision {
  readonly ok: true;
  readonly fromState: string;
  /** The canonical action name, whichever alias was used. */
  readonly action: string;
  readonly toState: string;
  readonly newStateVersion: number;
  /** The role under which the actor was allowed, for the audit log. */
  readonly firedAs: Role;
  readonly effects: readonly Effect[];
  readonly timeoutsToSchedule: readonly TimeoutJob[];
  /** Job ids of the timeouts of the state being left. */
  readonly timeoutsToCancel: readonly string[];
}

export interface RefusedDecision {
  readonly ok: false;
  readonly error: FsmError;
}

export type Decision = AcceptedDecision | RefusedDecision;

const SAFE_ID_PART = /^[A-Za-z0-9_-]+$/;

/**
 * BullMQ job id of one timeout for one stay in a state (libs/jobs `jobId`). Deterministic, so
 * scheduling twice is a no-op and leaving the state can cancel it by id; the version makes a later
 * stay in the same state a different job. Parts are refused rather than escaped: a definition
 * whose names need escaping is a bug to see, not to encode.
 */
export function timeoutJobId(key: {
  readonly entityType: EntityType;
  readonly entityId: string;
  readonly state: string;
  readonly timeout: TimeoutName;
  readonly stateVersion: number;
}): string {
  const parts = [key.entityType, key.entityId, key.state, key.timeout];
  if (!parts.every((part) => SAFE_ID_PART.test(part))) {
    throw new RangeError(`timeout job id parts must match ${SAFE_ID_PART}: ${parts.join(', ')}`);
  }
  if (!Number.isSafeInteger(key.stateVersion) || key.stateVersion < 0) {
    throw new RangeError(`stateVersion must be a non-negative integer, got ${key.stateVersion}`);
  }
  return jobId('fsm-timeout', ...parts, `v${key.stateVersion}`);
}

function timeoutJobs(
  state: StateDefinition,
  entity: { entityType: EntityType; entityId: string; stateVersion: number },
  durations: TimeoutDurations,
): TimeoutJob[] {
  return (state.timeouts ?? []).map((timeout) => ({
    jobId: timeoutJobId({ ...entity, state: state.name, timeout: timeout.name }),
    timeout: timeout.name,
    action: timeout.action,
    delayMs: durations[timeout.name],
    entityType: entity.entityType,
    entityId: entity.entityId,
    state: state.name,
    stateVersion: entity.stateVersion,
  }));
}

/**
 * The timeouts of an entity's current stay, `elapsedMs` after it began, each delayed by what is
 * left of its duration (0 when overdue). The same job ids as when the state was entered, so a
 * sweep that schedules them again keeps a job that exists and only restores one whose scheduling
 * after the commit failed. None for a state without timeouts or unknown to the definition.
 */
export function timeoutsOfStay(
  definition: FsmDefinition,
  stay: { entityType: EntityType; entityId: string; state: string; stateVersion: number },
  durations: TimeoutDurations,
  elapsedMs: number,
): TimeoutJob[] {
  const state = indexDefinition(definition).states.get(stateKey(stay.entityType, stay.state));
  if (!state) return [];
  return timeoutJobs(state, stay, durations).map((job) => ({
    ...job,
    delayMs: Math.max(0, job.delayMs - Math.max(0, elapsedMs)),
  }));
}

function same(actual: string | undefined, expected: string | undefined): boolean {
  return actual !== undefined && expected !== undefined && actual === expected;
}

function owns(rule: OwnershipRule, actor: Actor, facts: EntityFacts): boolean {
  switch (rule) {
    case 'any':
      return true;
    case 'order_sender':
      return same(actor.userId, facts.senderUserId);
    case 'order_recipient':
      return same(actor.userId, facts.recipientUserId);
    case 'pickup_courier':
      return same(actor.userId, facts.pickupCourierUserId);
    case 'delivery_courier':
      return same(actor.userId, facts.deliveryCourierUserId);
    case 'trip_driver':
      return same(actor.userId, facts.tripDriverUserId);
    case 'source_locker':
      return same(actor.deviceId, facts.sourceLockerDeviceId);
    case 'dest_locker':
      return same(actor.deviceId, facts.destLockerDeviceId);
    case 'order_locker':
      return (
        same(actor.deviceId, facts.sourceLockerDeviceId) ||
        same(actor.deviceId, facts.destLockerDeviceId)
      );
    case 'cell_locker':
      return same(actor.deviceId, facts.cellLockerDeviceId);
    default:
      return assertNever(rule);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

type Authorization =
  { readonly ok: true; readonly firedAs: Role } | { readonly ok: false; readonly error: FsmError };

/**
 * The one rule both decide() and availableActions() apply: some role of the actor is allowed and
 * its ownership rule holds, then the guard on the order's data holds.
 */
function authorize(
  transition: TransitionDefinition,
  actor: Actor,
  facts: EntityFacts,
): Authorization {
  const context = {
    entityType: transition.entityType,
    currentState: transition.from,
    action: transition.action,
  };
  const permitted = actor.roles.filter((role) => transition.allowed[role] !== undefined);
  if (permitted.length === 0)
    return { ok: false, error: fsmErrors.actorNotAllowed(context, actor.roles) };
  const firedAs = permitted.find((role) => {
    const rule = transition.allowed[role];
    return rule !== undefined && owns(rule, actor, facts);
  });
  if (firedAs === undefined) return { ok: false, error: fsmErrors.notOwner(context) };
  const unmet = unmetGuard(transition.guard, facts);
  if (unmet !== undefined) return { ok: false, error: fsmErrors.conditionNotMet(context, unmet) };
  return { ok: true, firedAs };
}

/** The condition of a transition's guard the order's data does not meet (undefined: none). */
export function unmetGuard(
  guard: TransitionDefinition['guard'],
  facts: EntityFacts,
): string | undefined {
  if (guard?.pickupType !== undefined && facts.pickupType !== guard.pickupType) {
    return `pickup type ${guard.pickupType}`;
  }
  if (guard?.deliveryType !== undefined && facts.deliveryType !== guard.deliveryType) {
    return `delivery type ${guard.deliveryType}`;
  }
  return undefined;
}

/** The canonical action for a name or alias of that entity type, or undefined. */
export function resolveAction(
  definition: FsmDefinition,
  entityType: EntityType,
  nameOrAlias: string,
): string | undefined {
  return indexDefinition(definition).actions.get(stateKey(entityType, nameOrAlias))?.name;
}

/**
 * Decides one transition: whether the actor may fire `action` on the entity now, and if so the new
 * state, the side effects, and which timeouts to schedule and cancel. Pure: the service applies the
 * outcome inside the transaction that locked the entity row.
 */
export function decide(
  definition: FsmDefinition,
  request: DecisionRequest,
  durations: TimeoutDurations,
): Decision {
  const index = indexDefinition(definition);
  const context = {
    entityType: request.entityType,
    currentState: request.currentState,
    action: request.action,
  };
  const action = resolveAction(definition, request.entityType, request.action);
  if (action === undefined) return { ok: false, error: fsmErrors.unknownAction(context) };
  const fromState = index.states.get(stateKey(request.entityType, request.currentState));
  if (fromState === undefined) return { ok: false, error: fsmErrors.unknownState(context) };
  const transition = index.transitions.get(
    transitionKey(request.entityType, request.currentState, action),
  );
  if (transition === undefined) {
    return { ok: false, error: fsmErrors.transitionNotFound({ ...context, action }) };
  }
  const authorization = authorize(transition, request.actor, request.facts);
  if (!authorization.ok) return authorization;
  const toState = index.states.get(stateKey(request.entityType, transition.to));
  if (toState === undefined) {
    return {
      ok: false,
      error: fsmErrors.unknownState({ ...context, currentState: transition.to }),
    };
  }
  const entity = { entityType: request.entityType, entityId: request.entityId };
  const newStateVersion = request.stateVersion + 1;
  return {
    ok: true,
    fromState: fromState.name,
    action,
    toState: toState.name,
    newStateVersion,
    firedAs: authorization.firedAs,
    effects: transition.effects,
    timeoutsToSchedule: timeoutJobs(
      toState,
      { ...entity, stateVersion: newStateVersion },
      durations,
    ),
    timeoutsToCancel: timeoutJobs(
      fromState,
      { ...entity, stateVersion: request.stateVersion },
      durations,
    ).map((job) => job.jobId),
  };
}

export interface NewEntity {
  readonly state: string;
  readonly stateVersion: 0;
  readonly timeoutsToSchedule: readonly TimeoutJob[];
}

/**
 * An entity the service creates starts in its type's initial state at version 0, with that state's
 * timeouts (a new trip starts its activation clock). Throws for a definition the checker rejects.
 */
export function createEntity(
  definition: FsmDefinition,
  entityType: EntityType,
  entityId: string,
  durations: TimeoutDurations,
): NewEntity {
  const initial = definition.entityTypes.find((e) => e.name === entityType)?.initialState;
  const state =
    initial === undefined
      ? undefined
      : indexDefinition(definition).states.get(stateKey(entityType, initial));
  if (state === undefined) throw new Error(`${entityType} has no initial state in this definition`);
  return {
    state: state.name,
    stateVersion: 0,
    timeoutsToSchedule: timeoutJobs(state, { entityType, entityId, stateVersion: 0 }, durations),
  };
}

export interface AvailableAction {
  readonly action: string;
  readonly label: string;
  readonly toState: string;
}

/**
 * The "buttons": every action the actor could fire on the entity now, by the same rule decide()
 * applies. Unknown states offer nothing.
 */
export function availableActions(
  definition: FsmDefinition,
  entity: Pick<EntitySnapshot, 'entityType' | 'currentState' | 'facts'>,
  actor: Actor,
): AvailableAction[] {
  const index = indexDefinition(definition);
  const outgoing = index.outgoing.get(stateKey(entity.entityType, entity.currentState)) ?? [];
  return outgoing
    .filter((transition) => authorize(transition, actor, entity.facts).ok)
    .map((transition) => ({
      action: transition.action,
      label: index.actions.get(stateKey(entity.entityType, transition.action))?.label ?? '',
      toState: transition.to,
    }));
}

/** The payload a timeout job carries back to the worker. */
export interface FiredTimeout {
  readonly state: string;
  readonly stateVersion: number;
  readonly timeout: TimeoutName;
}

export type TimeoutOutcome =
  | { readonly fire: true; readonly decision: AcceptedDecision }
  | {
      readonly fire: false;
      /** STATE_LEFT: the entity moved on (a late or duplicate job); the others are data problems. */
      readonly reason: 'STATE_LEFT' | 'TIMEOUT_NOT_DECLARED' | 'REFUSED';
      readonly error?: FsmError;
    };

/**
 * What a timeout job does when it runs: nothing if the entity has left the stay in the state the
 * job was scheduled for, otherwise the state's timeout action as `system`.
 */
export function decideTimeout(
  definition: FsmDefinition,
  entity: EntitySnapshot,
  fired: FiredTimeout,
  durations: TimeoutDurations,
): TimeoutOutcome {
  if (fired.state !== entity.currentState || fired.stateVersion !== entity.stateVersion) {
    return { fire: false, reason: 'STATE_LEFT' };
  }
  const state = indexDefinition(definition).states.get(
    stateKey(entity.entityType, entity.currentState),
  );
  const declared = state?.timeouts?.find((timeout) => timeout.name === fired.timeout);
  if (declared === undefined) return { fire: false, reason: 'TIMEOUT_NOT_DECLARED' };
  const decision = decide(
    definition,
    { ...entity, action: declared.action, actor: { roles: ['system'] } },
    durations,
  );
  return decision.ok
    ? { fire: true, decision }
    : { fire: false, reason: 'REFUSED', error: decision.error };
}

/**
 * For a cascade (a cell notifying its order, a trip fanning out to its orders): the first of the
 * candidate actions the entity's current state accepts, or undefined to leave the entity alone.
 */
export function cascadeAction(
  definition: FsmDefinition,
  entityType: EntityType,
  currentState: string,
  candidates: readonly string[],
): string | undefined {
  const { transitions } = indexDefinition(definition);
  return candidates.find((action) =>
    transitions.has(transitionKey(entityType, currentState, action)),
  );
}
