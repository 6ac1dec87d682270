/**
 * What a locker controller can report about an open command, and which cell action each report
 * fires (pure; locker-protocol.spec.ts). The cell's state decides between the close actions.
 */
export const ACK_RESULTS = [
  /** The door opened (no state change: the cell is `locker_opened` since the command was queued). */
  'opened',
  /** The lock did not release: the cell goes to `locker_error`, its order to manual intervention. */
  'failed_to_open',
  /** Door open, the sensor sees a parcel inside. */
  'parcel_present',
  /** Door open, the parcel was taken out. */
  'parcel_absent',
  /** Door open, but the parcel that should be there is not. */
  'parcel_not_found',
  /** The door closed; `parcel_present` says whether the sensor sees a parcel. */
  'door_closed',
] as const;
export type AckResult = (typeof ACK_RESULTS)[number];

/** What the sensor sees while the door is open: advisory, the door-closed report decides. */
export function isSensorReport(result: AckResult): boolean {
  return result === 'parcel_present' || result === 'parcel_absent' || result === 'parcel_not_found';
}

/** Results after which the command is finished (the door is shut or never opened). */
export const FINAL_RESULTS: readonly AckResult[] = ['failed_to_open', 'door_closed'];

/**
 * What the door was opened for, as the order holding the cell expects next: a parcel put in
 * (`deposit`: a sender's or courier's drop-off, a driver unloading) or taken out (`withdraw`);
 * undefined when no order holds the cell or its state expects neither.
 */
export type OpeningPurpose = 'deposit' | 'withdraw' | undefined;

/**
 * The cell actions a report may fire, best first (the first one the cell's state accepts under its
 * definition version fires); empty for a report that changes nothing: `opened`, and what the sensor
 * sees before the person did what the door was opened for (an empty cell at a drop-off, the parcel
 * still inside at a pickup; read as a parcel taken out, the empty cell of a drop-off sent the cell
 * down the pickup path and a parcel then put in was recorded as gone). As the door closes, the
 * sensor's report decides whether the cell holds a parcel, whatever it saw while the door was open
 * (1.1.0; under 1.0.0 only a bare `locker_opened` took it, later the cell kept what it knew).
 * `side` is the side of the order holding the cell (undefined when none does).
 */
export function cellActionsFor(
  result: AckResult,
  side: 'source' | 'dest' | undefined,
  parcelPresent: boolean | undefined,
  purpose: OpeningPurpose = undefined,
): readonly string[] {
  switch (result) {
    case 'opened':
      return [];
    case 'failed_to_open':
      return ['locker_failed_to_open'];
    case 'parcel_present':
      return purpose === 'withdraw' ? [] : ['locker_confirm_parcel_in'];
    case 'parcel_absent':
      if (purpose === 'deposit') return [];
      return [
        side === 'dest' ? 'locker_confirm_parcel_out_recipient' : 'locker_confirm_parcel_out',
      ];
    case 'parcel_not_found':
      return ['locker_confirm_parcel_not_found'];
    case 'door_closed':
      if (parcelPresent === true) return ['locker_close_with_parcel', 'locker_close_locker'];
      if (parcelPresent === false) return ['locker_close_pickup', 'locker_close_locker'];
      return ['locker_close_locker'];
    default:
      return [];
  }
}

/**
 * Whether a report says the person did not do what the door was opened for: closed on an empty
 * cell at a drop-off, or with the parcel still inside at a pickup. The order then waits for
 * something that already did not happen (no action left to its people, no timeout): it goes to
 * manual intervention.
 */
export function contradictsPurpose(
  result: AckResult,
  parcelPresent: boolean | undefined,
  purpose: OpeningPurpose,
): boolean {
  if (result !== 'door_closed' || parcelPresent === undefined) return false;
  return (purpose === 'deposit' && !parcelPresent) || (purpose === 'withdraw' && parcelPresent);
}
