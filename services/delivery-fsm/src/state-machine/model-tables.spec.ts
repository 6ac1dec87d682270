import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deliveryFsmDefinition as definition } from './definition';
import { MODEL_TABLES, modelTable, parseMarkdownTable, toMarkdownTable } from './model-tables';

const DOC = path.resolve(__dirname, '../../../../docs/delivery-fsm.md');

describe('the model tables of docs/delivery-fsm.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it.each(MODEL_TABLES)(
    'the %s table is the definition (run scripts/render-diagram.ts --write-doc)',
    (name) => {
      const block = doc.match(new RegExp(`<!-- table:${name} -->\\n([\\s\\S]*?)<!-- /table -->`));
      const table = modelTable(definition, name);
      expect(parseMarkdownTable(block?.[1] ?? '')).toEqual([table.header, ...table.rows]);
    },
  );

  it('writes what it reads back', () => {
    const table = modelTable(definition, 'trip-transitions');
    expect(parseMarkdownTable(toMarkdownTable(table))).toEqual([table.header, ...table.rows]);
    expect(table.rows).toContainEqual([
      '`trip_parcel_delivered`',
      '`trip_complete_trip`',
      '`trip_completed`',
      'driver (trip_driver)',
      '',
      'fan_out_to_trip_orders(order_request_manual_intervention, only from order_arrived_at_post2)',
    ]);
  });
});
