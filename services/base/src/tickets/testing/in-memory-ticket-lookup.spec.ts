import { InMemoryTicketLookup } from './in-memory-ticket-lookup';
import { describeTicketLookupContract } from './ticket-lookup.contract';

describeTicketLookupContract(
  'InMemoryTicketLookup',
  async (tickets) => new InMemoryTicketLookup(tickets.map((ticket) => ({ ...ticket }))),
);
