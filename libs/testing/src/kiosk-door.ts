/** The door the end-to-end robots stand at: train 1013, wagon 5, boarding at MOSCOW. */
export const TEST_DOOR = { station_id: 'MOSCOW', train_number: 1013, wagon_number: 5 } as const;

/** A 09:00 Moscow departure on a random day far ahead (seats of earlier runs do not collide). */
export function randomDeparture(): { moscow: string; utc: string } {
  const days = 400 + Math.floor(Math.random() * 3000);
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return { moscow: `${day}T09:00:00+03:00`, utc: `${day}T06:00:00Z` };
}

/** The admin's `POST /admin/ticket` body: `userId` at {@link TEST_DOOR}, a random seat. */
export function ticketAtTestDoor(
  userId: string,
  departure: { moscow: string },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...TEST_DOOR,
    user_id: userId,
    place_number: 1 + Math.floor(Math.random() * 120),
    destination: 'SPB',
    date: departure.moscow,
    ...overrides,
  };
}
