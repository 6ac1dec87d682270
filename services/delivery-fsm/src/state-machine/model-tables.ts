import {
  type Effect,
  type EntityType,
  type FsmDefinition,
  type Role,
  STAFF_ROLES,
  type TransitionDefinition,
} from './model';

/** The tables of docs/delivery-fsm.md ("The model"), each between `<!-- table:<name> -->` markers. */
export type ModelTableName = `${EntityType}-states` | `${EntityType}-transitions` | 'aliases';

export interface ModelTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const code = (name: string) => `\`${name}\``;

function onlyFrom(states: readonly string[] | undefined): string {
  return states === undefined ? '' : `, only from ${states.join(' / ')}`;
}

function effectText(effect: Effect): string {
  switch (effect.kind) {
    case 'reserve_cell':
    case 'release_cell':
    case 'open_cell':
      return `${effect.kind}(${effect.cell})`;
    case 'assign_leg_courier':
    case 'clear_leg_courier':
      return `${effect.kind}(${effect.leg})`;
    case 'fan_out_to_trip_orders':
      return `${effect.kind}(${effect.action}${onlyFrom(effect.onlyFrom)})`;
    case 'detach_trip_orders':
      return effect.onlyFrom === undefined
        ? effect.kind
        : `${effect.kind}(only from ${effect.onlyFrom.join(' / ')})`;
    case 'issue_locker_command':
      return `${effect.kind}(${effect.command})`;
    case 'notify_cell_order':
      return `${effect.kind}(${effect.whenSource.join(' or ')}, ${effect.whenDest.join(' or ')})`;
    default:
      return effect.kind;
  }
}

/** The roles besides staff, with the ownership rule each must meet ("—" when staff only). */
function whoElse(transition: TransitionDefinition): string {
  const roles = Object.entries(transition.allowed)
    .filter(([role]) => !(STAFF_ROLES as readonly Role[]).includes(role as Role))
    .map(([role, rule]) => (rule === 'any' ? role : `${role} (${rule})`));
  return roles.length > 0 ? roles.join(', ') : '—';
}

function guardText(transition: TransitionDefinition): string {
  return Object.entries(transition.guard ?? {})
    .map(([fact, value]) => `${fact}=${String(value)}`)
    .join(', ');
}

/** One table of the model, from the definition (what the service runs). */
export function modelTable(definition: FsmDefinition, name: ModelTableName): ModelTable {
  if (name === 'aliases') {
    return {
      header: ['action', 'also accepted'],
      rows: definition.actions
        .filter((action) => (action.aliases ?? []).length > 0)
        .map((action) => [code(action.name), (action.aliases ?? []).map(code).join(', ')]),
    };
  }
  const [entityType, part] = name.split('-') as [EntityType, 'states' | 'transitions'];
  if (part === 'states') {
    return {
      header: ['state', 'kind', 'meaning', 'timeout started on entry'],
      rows: definition.states
        .filter((state) => state.entityType === entityType)
        .map((state) => [
          code(state.name),
          state.kind,
          (state.aliases ?? []).length > 0
            ? `${state.label} (also accepted: ${(state.aliases ?? []).map(code).join(', ')})`
            : state.label,
          (state.timeouts ?? []).map((t) => `${code(t.name)} → ${code(t.action)}`).join(', '),
        ]),
    };
  }
  return {
    header: ['from', 'action', 'to', 'who else (ownership)', 'guard', 'side effects'],
    rows: definition.transitions
      .filter((transition) => transition.entityType === entityType)
      .map((transition) => [
        code(transition.from),
        code(transition.action),
        code(transition.to),
        whoElse(transition),
        guardText(transition),
        transition.effects.map(effectText).join('; '),
      ]),
  };
}

/** A Markdown table (Prettier pads the columns when the document is formatted). */
export function toMarkdownTable(table: ModelTable): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join(
    '\n',
  );
}

/** The cells of a Markdown table's rows (header first, the separator left out), trimmed. */
export function parseMarkdownTable(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .filter((line, i) => i !== 1 && line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

export const MODEL_TABLES: readonly ModelTableName[] = [
  'order-states',
  'order-transitions',
  'trip-states',
  'trip-transitions',
  'cell-states',
  'cell-transitions',
  'aliases',
];
