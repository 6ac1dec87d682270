import definition100 from '../database/seed/fsm-definition-1.0.0.json';
import definition110 from '../database/seed/fsm-definition-1.1.0.json';
import { cascadeAction, deliveryFsmDefinition, type FsmDefinition } from '../state-machine';
import {
  type AckResult,
  cellActionsFor,
  contradictsPurpose,
  type OpeningPurpose,
} from './locker-protocol';

const VERSIONS: Readonly<Record<string, FsmDefinition>> = {
  '1.0.0': definition100 as FsmDefinition,
  '1.1.0': definition110 as FsmDefinition,
  current: deliveryFsmDefinition,
};

/** The cell action a report fires from `state` under a definition version, and where it leads. */
function fired(
  version: string,
  result: AckResult,
  state: string,
  side: 'source' | 'dest',
  present: boolean | undefined,
  purpose: OpeningPurpose = undefined,
): string {
  const definition = VERSIONS[version] as FsmDefinition;
  const candidates = cellActionsFor(result, side, present, purpose);
  if (candidates.length === 0) return 'nothing';
  const action = cascadeAction(definition, 'cell', state, candidates);
  const to = definition.transitions.find(
    (t) => t.entityType === 'cell' && t.from === state && t.action === action,
  )?.to;
  return action === undefined ? 'refused' : `${action} → ${String(to)}`;
}

describe('a controller report → the cell action it fires', () => {
  it.each([
    ['opened', 'locker_opened', 'source', undefined, 'nothing'],
    [
      'failed_to_open',
      'locker_opened',
      'source',
      undefined,
      'locker_failed_to_open → locker_error',
    ],
    [
      'parcel_present',
      'locker_opened',
      'source',
      undefined,
      'locker_confirm_parcel_in → locker_parcel_confirmed',
    ],
    [
      'parcel_absent',
      'locker_opened',
      'source',
      undefined,
      'locker_confirm_parcel_out → locker_parcel_pickup_driver',
    ],
    [
      'parcel_absent',
      'locker_opened',
      'dest',
      undefined,
      'locker_confirm_parcel_out_recipient → locker_parcel_pickup_recipient',
    ],
    [
      'parcel_not_found',
      'locker_opened',
      'dest',
      undefined,
      'locker_confirm_parcel_not_found → locker_parcel_missing',
    ],
    ['door_closed', 'locker_opened', 'source', undefined, 'locker_close_locker → locker_occupied'],
    [
      'door_closed',
      'locker_parcel_pickup_driver',
      'source',
      undefined,
      'locker_close_locker → locker_closed_empty',
    ],
    ['door_closed', 'locker_occupied', 'source', true, 'refused'],
  ] as const)(
    '%s in %s (%s side, parcel %s) → %s, in both versions',
    (result, state, side, present, expected) => {
      for (const version of Object.keys(VERSIONS)) {
        expect([version, fired(version, result, state, side, present)]).toEqual([
          version,
          expected,
        ]);
      }
    },
  );

  // As the door closes the sensor decides (1.1.0); 1.0.0 let what the cell saw before win.
  it.each([
    [
      'locker_opened',
      true,
      'locker_close_locker → locker_occupied',
      'locker_close_with_parcel → locker_occupied',
    ],
    [
      'locker_opened',
      false,
      'locker_close_pickup → locker_closed_empty',
      'locker_close_pickup → locker_closed_empty',
    ],
    [
      'locker_parcel_confirmed',
      true,
      'locker_close_locker → locker_occupied',
      'locker_close_with_parcel → locker_occupied',
    ],
    [
      'locker_parcel_confirmed',
      false,
      'locker_close_locker → locker_occupied',
      'locker_close_pickup → locker_closed_empty',
    ],
    [
      'locker_parcel_pickup_driver',
      true,
      'locker_close_locker → locker_closed_empty',
      'locker_close_with_parcel → locker_occupied',
    ],
    [
      'locker_parcel_pickup_driver',
      false,
      'locker_close_locker → locker_closed_empty',
      'locker_close_pickup → locker_closed_empty',
    ],
    [
      'locker_parcel_pickup_recipient',
      true,
      'locker_close_locker → locker_closed_empty',
      'locker_close_with_parcel → locker_occupied',
    ],
    [
      'locker_parcel_missing',
      true,
      'locker_close_locker → locker_closed_empty',
      'locker_close_with_parcel → locker_occupied',
    ],
    [
      'locker_parcel_missing',
      false,
      'locker_close_locker → locker_closed_empty',
      'locker_close_pickup → locker_closed_empty',
    ],
  ] as const)(
    'door_closed in %s, parcel %s: 1.0.0 %s, 1.1.0 %s',
    (state, present, old, current) => {
      expect(fired('1.0.0', 'door_closed', state, 'dest', present)).toBe(old);
      expect(fired('1.1.0', 'door_closed', state, 'dest', present)).toBe(current);
    },
  );

  it.each([
    // a drop-off: the cell is empty when the door opens; the parcel then goes in
    ['parcel_absent', 'source', undefined, 'deposit', 'nothing'],
    ['parcel_absent', 'dest', undefined, 'deposit', 'nothing'],
    [
      'parcel_present',
      'source',
      undefined,
      'deposit',
      'locker_confirm_parcel_in → locker_parcel_confirmed',
    ],
    ['door_closed', 'source', true, 'deposit', 'locker_close_with_parcel → locker_occupied'],
    // a pickup: the parcel is inside when the door opens; then it is taken out
    ['parcel_present', 'source', undefined, 'withdraw', 'nothing'],
    [
      'parcel_absent',
      'dest',
      undefined,
      'withdraw',
      'locker_confirm_parcel_out_recipient → locker_parcel_pickup_recipient',
    ],
    ['door_closed', 'dest', false, 'withdraw', 'locker_close_pickup → locker_closed_empty'],
  ] as const)(
    '%s (%s side, parcel %s) at an open door opened for a %s → %s',
    (result, side, present, purpose, expected) => {
      expect(fired('1.1.0', result, 'locker_opened', side, present, purpose)).toBe(expected);
    },
  );
});

describe('contradictsPurpose: a report that says the person did not do what the door was opened for', () => {
  it.each([
    ['door_closed', false, 'deposit', true],
    ['door_closed', true, 'deposit', false],
    ['door_closed', true, 'withdraw', true],
    ['door_closed', false, 'withdraw', false],
    ['door_closed', undefined, 'deposit', false],
    ['door_closed', false, undefined, false],
    ['parcel_absent', undefined, 'deposit', false],
    ['parcel_present', undefined, 'withdraw', false],
  ] as const)('%s (parcel %s) after opening for a %s: %s', (result, present, purpose, expected) => {
    expect(contradictsPurpose(result, present, purpose)).toBe(expected);
  });
});
