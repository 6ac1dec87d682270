/** Seats: a train has at most 30 wagons of at most 120 places (the seed had no bounds). */
export const TICKET_LIMITS = {
  wagonMax: 30,
  placeMax: 120,
} as const;
