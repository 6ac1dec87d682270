import type { ErrorKind } from '@platform/errors';
import type { EntityType, Role } from './model';

/** Every way the engine refuses a request, with the error kind (HTTP status) the service answers. */
export const FSM_ERROR_KINDS = {
  /** The action name (or alias) is not an action of this entity type. */
  UNKNOWN_ACTION: 'invalid_input',
  /** The entity's stored state is not in the definition it runs under: a data or version problem. */
  UNKNOWN_STATE: 'internal',
  /** The action exists but not from the current state (409 with the current state). */
  TRANSITION_NOT_FOUND: 'conflict',
  /** None of the actor's roles may fire this transition. */
  ACTOR_NOT_ALLOWED: 'forbidden',
  /** A role may fire it, but the entity is not the actor's (not the sender, not the leg's courier...). */
  NOT_OWNER: 'forbidden',
  /** The transition does not apply to this order's pickup or delivery type. */
  CONDITION_NOT_MET: 'conflict',
} as const satisfies Record<string, ErrorKind>;

export type FsmErrorCode = keyof typeof FSM_ERROR_KINDS;

export interface FsmError {
  readonly code: FsmErrorCode;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly entityType: EntityType;
  readonly currentState: string;
  readonly action: string;
}

interface RefusalContext {
  readonly entityType: EntityType;
  readonly currentState: string;
  readonly action: string;
}

function fsmError(code: FsmErrorCode, context: RefusalContext, message: string): FsmError {
  return { code, kind: FSM_ERROR_KINDS[code], message, ...context };
}

export const fsmErrors = {
  unknownAction: (context: RefusalContext): FsmError =>
    fsmError(
      'UNKNOWN_ACTION',
      context,
      `"${context.action}" is not an action of ${context.entityType}`,
    ),
  unknownState: (context: RefusalContext): FsmError =>
    fsmError(
      'UNKNOWN_STATE',
      context,
      `"${context.currentState}" is not a ${context.entityType} state of this definition`,
    ),
  transitionNotFound: (context: RefusalContext): FsmError =>
    fsmError(
      'TRANSITION_NOT_FOUND',
      context,
      `${context.action} is not possible in ${context.currentState}`,
    ),
  actorNotAllowed: (context: RefusalContext, roles: readonly Role[]): FsmError =>
    fsmError(
      'ACTOR_NOT_ALLOWED',
      context,
      `roles [${roles.join(', ')}] may not fire ${context.action} in ${context.currentState}`,
    ),
  notOwner: (context: RefusalContext): FsmError =>
    fsmError('NOT_OWNER', context, `this ${context.entityType} is not the caller's`),
  conditionNotMet: (context: RefusalContext, condition: string): FsmError =>
    fsmError(
      'CONDITION_NOT_MET',
      context,
      `${context.action} needs ${condition} on this ${context.entityType}`,
    ),
};
