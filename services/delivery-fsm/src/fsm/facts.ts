import { type EntityFacts } from '../state-machine';

/** The ownership facts of an order row (joined with its legs and its trip's driver). */
export function factsOfOrder(row: Record<string, unknown>): EntityFacts {
  const facts: Record<string, unknown> = {
    senderUserId: row['sender_user_id'],
    recipientUserId: row['recipient_user_id'],
    pickupCourierUserId: row['pickup_courier'],
    deliveryCourierUserId: row['delivery_courier'],
    tripDriverUserId: row['trip_driver'],
    sourceLockerDeviceId: row['source_locker_id'],
    destLockerDeviceId: row['dest_locker_id'],
    pickupType: row['pickup_type'],
    deliveryType: row['delivery_type'],
  };
  return Object.fromEntries(
    Object.entries(facts).filter(([, value]) => value !== null && value !== undefined),
  ) as EntityFacts;
}
