import { cellActionFor } from './locker-protocol';

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
});
