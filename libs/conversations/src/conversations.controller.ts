import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { ConversationCommands } from './conversation-commands.service';
import { ConversationsService } from './conversations.service';
import {
  AssignConversationDto,
  BulkConversationsDto,
  CreateNoteDto,
  ListConversationsQuery,
  SetLabelsDto,
} from './dto/conversation.dto';
import { NoteWriter } from './note-writer';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly queries: ConversationsService,
    private readonly commands: ConversationCommands,
    private readonly notes: NoteWriter,
  ) {}

  @Get()
  @RequirePermission(Permission.ConversationRead)
  @ApiOkResponse({ description: 'A page of conversations (keyset paging)' })
  list(@Query() query: ListConversationsQuery, @CurrentPrincipal() principal: Principal) {
    return this.queries.list(principal, query);
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
