import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import {
  checkDefinition,
  DELIVERY_FSM_VERSION,
  type ActionDefinition,
  type EntityType,
  type EntityTypeDefinition,
  type FsmDefinition,
  type StateDefinition,
  type TransitionDefinition,
} from '../state-machine';

/** Reads every definition version from its four tables into the shape the pure core takes. */
export async function loadDefinitions(dataSource: DataSource): Promise<Map<string, FsmDefinition>> {
  const [definitions, states, actions, transitions] = await Promise.all([
    dataSource.query<{ version: string; entity_types: EntityTypeDefinition[] }[]>(
      `SELECT version, entity_types FROM delivery.fsm_definitions`,
    ),
    dataSource.query<Record<string, unknown>[]>(
      `SELECT definition_version, entity_type, name, kind, label, aliases, timeouts
         FROM delivery.fsm_states ORDER BY definition_version, ctid`,
    ),
    dataSource.query<Record<string, unknown>[]>(
      `SELECT definition_version, entity_type, name, label, aliases
         FROM delivery.fsm_actions ORDER BY definition_version, ctid`,
    ),
    dataSource.query<Record<string, unknown>[]>(
      `SELECT definition_version, entity_type, from_state, action, to_state, allowed, guard, effects
         FROM delivery.fsm_transitions ORDER BY definition_version, position`,
    ),
  ]);
  const of = <T>(
    rows: Record<string, unknown>[],
    version: string,
    map: (row: Record<string, unknown>) => T,
  ) => rows.filter((row) => row['definition_version'] === version).map(map);
  const result = new Map<string, FsmDefinition>();
  for (const { version, entity_types } of definitions) {
    result.set(version, {
      version,
      entityTypes: entity_types,
      states: of<StateDefinition>(states, version, (row) => ({
        name: row['name'] as string,
        entityType: row['entity_type'] as EntityType,
        kind: row['kind'] as StateDefinition['kind'],
        label: row['label'] as string,
        aliases: row['aliases'] as string[],
        timeouts: row['timeouts'] as StateDefinition['timeouts'],
      })),
      actions: of<ActionDefinition>(actions, version, (row) => ({
        name: row['name'] as string,
        entityType: row['entity_type'] as EntityType,
        label: row['label'] as string,
        aliases: row['aliases'] as string[],
      })),
      transitions: of<TransitionDefinition>(transitions, version, (row) => ({
        entityType: row['entity_type'] as EntityType,
        from: row['from_state'] as string,
        action: row['action'] as string,
        to: row['to_state'] as string,
        allowed: row['allowed'] as TransitionDefinition['allowed'],
        ...(row['guard'] ? { guard: row['guard'] as TransitionDefinition['guard'] } : {}),
        effects: row['effects'] as TransitionDefinition['effects'],
      })),
    });
  }
  return result;
}

/**
 * The state-machine definitions the service runs, read from the database at start-up (the data a
 * migration seeded) and proven sound by `checkDefinition`: an unsound graph, or a database without
 * the version this build creates entities under, stops the service before it takes traffic. Each
 * entity runs under the version stored on its row.
 */
@Injectable()
export class DefinitionRegistry implements OnModuleInit {
  private readonly logger = new Logger('FsmDefinition');
  private definitions = new Map<string, FsmDefinition>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    this.use(await loadDefinitions(this.dataSource));
  }

  /** Validates and installs definitions; throws (refusing to start) on any problem. */
  use(definitions: Map<string, FsmDefinition>): void {
    for (const [version, definition] of definitions) {
      const problems = checkDefinition(definition);
      if (problems.length > 0) {
        throw new Error(
          `state-machine definition ${version} is unsound, refusing to start:\n` +
            problems.map((problem) => `  - ${JSON.stringify(problem)}`).join('\n'),
        );
      }
    }
    if (!definitions.has(DELIVERY_FSM_VERSION)) {
      throw new Error(
        `state-machine definition ${DELIVERY_FSM_VERSION} is not in the database (run the migrations)`,
      );
    }
    this.definitions = definitions;
    this.logger.log({ versions: [...definitions.keys()] }, 'state-machine definitions checked');
  }

  /** The version new entities are created under. */
  get current(): FsmDefinition {
    return this.get(DELIVERY_FSM_VERSION);
  }

  get(version: string): FsmDefinition {
    const definition = this.definitions.get(version);
    if (!definition) throw new Error(`unknown state-machine definition version ${version}`);
    return definition;
  }

  versions(): string[] {
    return [...this.definitions.keys()];
  }
}
