import { cellActionFor, contradictsPurpose } from './locker-protocol';

describe('cellActionFor: a controller report → the cell action it fires', () => {
  it.each([
    ['opened', 'locker_opened', 'source', undefined, null],
    ['failed_to_open', 'locker_opened', 'source', undefined, 'locker_failed_to_open'],
    ['parcel_present', 'locker_opened', 'source', undefined, 'locker_confirm_parcel_in'],
    ['parcel_absent', 'locker_opened', 'source', undefined, 'locker_confirm_parcel_out'],
    ['parcel_absent', 'locker_opened', 'dest', undefined, 'locker_confirm_parcel_out_recipient'],
    ['parcel_not_found', 'locker_opened', 'dest', undefined, 'locker_confirm_parcel_not_found'],
    ['door_closed', 'locker_opened', 'source', true, 'locker_close_locker'],
    ['door_closed', 'locker_opened', 'dest', false, 'locker_close_pickup'],
    ['door_closed', 'locker_parcel_confirmed', 'source', true, 'locker_close_locker'],
    ['door_closed', 'locker_parcel_pickup_driver', 'source', false, 'locker_close_locker'],
    ['door_closed', 'locker_parcel_missing', 'dest', false, 'locker_close_locker'],
  ] as const)('%s in %s (%s side, parcel %s) → %s', (result, state, side, present, action) => {
    expect(cellActionFor(result, state, side, present)).toBe(action);
  });

  it.each([
    // a drop-off: the cell is empty when the door opens; the parcel then goes in
    ['parcel_absent', 'locker_opened', 'source', undefined, 'deposit', null],
    ['parcel_absent', 'locker_opened', 'dest', undefined, 'deposit', null],
    ['parcel_present', 'locker_opened', 'source', undefined, 'deposit', 'locker_confirm_parcel_in'],
    ['door_closed', 'locker_opened', 'source', true, 'deposit', 'locker_close_locker'],
    // a pickup: the parcel is inside when the door opens; then it is taken out
    ['parcel_present', 'locker_opened', 'source', undefined, 'withdraw', null],
    [
      'parcel_absent',
      'locker_opened',
      'dest',
      undefined,
      'withdraw',
      'locker_confirm_parcel_out_recipient',
    ],
    ['door_closed', 'locker_opened', 'dest', false, 'withdraw', 'locker_close_pickup'],
  ] as const)(
    '%s in %s (%s side, parcel %s) opened for a %s → %s',
    (result, state, side, present, purpose, action) => {
      expect(cellActionFor(result, state, side, present, purpose)).toBe(action);
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
