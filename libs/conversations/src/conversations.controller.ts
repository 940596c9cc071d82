import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { ConversationCommands } from './conversation-commands.service';
import { ConversationCounts } from './conversation-counts';
import { ConversationsService } from './conversations.service';
import {
  AssignConversationDto,
  BulkConversationsDto,
  CreateNoteDto,
  ListConversationsQuery,
  SetLabelsDto,
} from './dto/conversation.dto';
import { ConversationCountsView } from './dto/conversation-counts.view';
import { NoteWriter } from './note-writer';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly queries: ConversationsService,
    private readonly commands: ConversationCommands,
    private readonly notes: NoteWriter,
    private readonly counts: ConversationCounts,
  ) {}

  @Get()
  @RequirePermission(Permission.ConversationRead)
  @ApiOkResponse({ description: 'A page of conversations (keyset paging)' })
  list(@Query() query: ListConversationsQuery, @CurrentPrincipal() principal: Principal) {
    return this.queries.list(principal, query);
  }

  /** Before `:id`, which would take "counts" for an id. */
  @Get('counts')
  @RequirePermission(Permission.ConversationRead)
  @ApiOperation({
    summary: 'How many conversations each inbox tab lists for the caller',
    description:
      'Read from a snapshot counted at most once per 5 s per organisation (never a count per ' +
      'request). Each number is 0..1000; 1000 means more than 999. The same body arrives live ' +
      'as the socket event `counts.updated`, at most once per 5 s, after a conversation of the ' +
      'organisation is created or changes status or assignee. Who may call it: whoever may ' +
      'call GET /api/conversations.',
  })
  @ApiOkResponse({ type: ConversationCountsView })
  @ApiForbiddenResponse({
    description: 'policy.not_eligible: may not read the inbox at the current maturity level',
  })
  @ApiServiceUnavailableResponse({ description: 'service.unavailable: Redis does not answer' })
  countsOf(@CurrentPrincipal() principal: Principal) {
    return this.counts.forPrincipal(principal);
  }

  @Post('bulk')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationAssign)
  @ApiOkResponse({ description: '{ done, failed: [{ id, code }] }' })
  bulk(@Body() dto: BulkConversationsDto, @CurrentPrincipal() principal: Principal) {
    return this.commands.bulk(principal, dto);
  }

  @Get(':id')
  @RequirePermission(Permission.ConversationRead)
  @ApiOkResponse({ description: 'The conversation with its messages, oldest first' })
  detail(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.detail(principal, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationAssign)
  assign(
    @Body() dto: AssignConversationDto,
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.assign(principal, id, dto.userId);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationClaim)
  claim(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.claim(principal, id);
  }

  @Post(':id/unassign')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationAct)
  unassign(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.unassign(principal, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationAct)
  close(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.close(principal, id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @RequirePermission(Permission.ConversationAct)
  reopen(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.commands.reopen(principal, id);
  }

  @Put(':id/labels')
  @RequirePermission(Permission.ConversationAct)
  @ApiOkResponse({ description: 'The conversation with exactly these labels' })
  setLabels(
    @Body() dto: SetLabelsDto,
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.commands.setLabels(principal, id, dto.labels);
  }

  @Post(':id/notes')
  @RequirePermission(Permission.ConversationNote)
  @ApiCreatedResponse({ description: 'The note: a Message with direction "note"' })
  addNote(
    @Body() dto: CreateNoteDto,
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.notes.create(principal, id, dto.text);
  }
}
