import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseEnumPipe,
  type PipeTransform,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type UserPrincipal } from '@platform/auth';
import { type Page, PageQueryDto, pageViewOf, pageWindow, UuidParam } from '@platform/http';
import { toMermaid } from '../state-machine';
import { actorOfUser, ANY_PERSON } from './actor';
import { DefinitionRegistry } from './definition.registry';
import {
  DiagramQueryDto,
  ENTITY_PATH_ENUM,
  ENTITY_PATHS,
  type EntityPath,
  FireActionDto,
} from './dto';
import { FsmService } from './fsm.service';
import { AuditEntryView, AvailableActionsView, TransitionView } from './views';

const ENTITY_PARAM = ApiParam({ name: 'entity', enum: Object.keys(ENTITY_PATHS) });
/** Every action name and alias has this form; the path segment is checked before any lookup. */
const ACTION_NAME = /^[A-Za-z0-9_]{1,64}$/;
const ACTION_PARAM = ApiParam({
  name: 'action',
  description: 'An action name of the entity type, or one of its aliases',
  schema: { type: 'string', pattern: ACTION_NAME.source },
});

/** The `action` path segment as the OpenAPI document describes it (400 VALIDATION_FAILED). */
class ActionNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ACTION_NAME.test(value)) {
      throw new BadRequestException([`action must match ${ACTION_NAME.source}`]);
    }
    return value;
  }
}

export function requestIdOf(req: { id?: unknown }): string | null {
  return typeof req.id === 'string' ? req.id.slice(0, 128) : null;
}

function entityTypeOf(path: string) {
  return ENTITY_PATHS[path as EntityPath];
}

/** Actions by name on orders, trips and cells; the buttons; audit logs; the definition. */
@ApiTags('state machine')
@Controller()
@Roles(...ANY_PERSON)
export class FsmController {
  constructor(
    private readonly fsm: FsmService,
    private readonly definitions: DefinitionRegistry,
  ) {}

  @Post(':entity/:id/actions/:action')
  @HttpCode(200)
  @ENTITY_PARAM
  @ACTION_PARAM
  @ApiOperation({
    summary: 'Fire an action on an order, trip or cell',
    description:
      'One transaction: row lock, the transition, its side effects and cascades, the audit row. ' +
      '403 ACTOR_NOT_ALLOWED / NOT_OWNER; 409 TRANSITION_NOT_FOUND (details.current_state), ' +
      'CONDITION_NOT_MET, STATE_VERSION_MISMATCH, NO_FREE_CELL, CELL_NOT_HELD; 400 UNKNOWN_ACTION, ' +
      'COURIER_REQUIRED, DRIVER_REQUIRED.',
  })
  @ApiOkResponse({ type: TransitionView })
  @ApiBadRequestResponse({
    description: 'UNKNOWN_ACTION, COURIER_REQUIRED, DRIVER_REQUIRED, invalid input',
  })
  @ApiNotFoundResponse({
    description:
      'ORDER_NOT_FOUND, TRIP_NOT_FOUND, CELL_NOT_FOUND (also when the caller may not read it, ' +
      'unless one of their roles may take it over: a courier a leg, a driver a trip)',
  })
  @ApiConflictResponse({ description: 'TRANSITION_NOT_FOUND (with the current state) and others' })
  fire(
    @Param('entity', new ParseEnumPipe(ENTITY_PATH_ENUM)) entity: EntityPath,
    @UuidParam('id') id: string,
    @Param('action', ActionNamePipe) action: string,
    @Body() body: FireActionDto,
    @CurrentUser() user: UserPrincipal,
    @Req() req: { id?: unknown },
  ): Promise<TransitionView> {
    return this.fsm.fireAction(
      {
        entityType: entityTypeOf(entity),
        entityId: id,
        action,
        actor: actorOfUser(user),
        ...(body.expected_state_version === undefined
          ? {}
          : { expectedVersion: body.expected_state_version }),
        params: {
          ...(body.courier_user_id ? { courierUserId: body.courier_user_id } : {}),
          ...(body.driver_user_id ? { driverUserId: body.driver_user_id } : {}),
        },
      },
      requestIdOf(req),
    );
  }

  @Get(':entity/:id/actions')
  @ENTITY_PARAM
  @ApiOperation({
    summary: 'The actions the caller may fire on the entity now (the buttons)',
    description: 'Computed by the rule the server enforces (availableActions = decide).',
  })
  @ApiOkResponse({ type: AvailableActionsView })
  @ApiNotFoundResponse({ description: 'No such entity, or not visible to the caller' })
  available(
    @Param('entity', new ParseEnumPipe(ENTITY_PATH_ENUM)) entity: EntityPath,
    @UuidParam('id') id: string,
    @CurrentUser() user: UserPrincipal,
  ): Promise<AvailableActionsView> {
    return this.fsm.available(entityTypeOf(entity), id, actorOfUser(user));
  }

  @Get(':entity/:id/audit')
  @ENTITY_PARAM
  @ApiOperation({ summary: 'The audit log of an entity, oldest first (paged)' })
  @ApiOkResponse({ type: pageViewOf(AuditEntryView) })
  @ApiNotFoundResponse({ description: 'No such entity, or not visible to the caller' })
  audit(
    @Param('entity', new ParseEnumPipe(ENTITY_PATH_ENUM)) entity: EntityPath,
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
    @CurrentUser() user: UserPrincipal,
  ): Promise<Page<AuditEntryView>> {
    return this.fsm.audit(entityTypeOf(entity), id, actorOfUser(user), pageWindow(query));
  }

  @Get('fsm/definition')
  @ApiOperation({ summary: 'The state-machine definition new entities run under (data)' })
  @ApiOkResponse({
    description: 'The definition: version, entity types, states, actions, transitions',
  })
  definition(): unknown {
    return this.definitions.current;
  }

  @Get('fsm/diagram')
  @ApiOperation({ summary: 'Mermaid stateDiagram-v2 text of the definition (one type or all)' })
  @ApiOkResponse({
    description: 'Mermaid text',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @Header('content-type', 'text/plain; charset=utf-8')
  diagram(@Query() query: DiagramQueryDto): string {
    return toMermaid(this.definitions.current, query.entity);
  }
}
