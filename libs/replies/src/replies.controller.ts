import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  PageQueryDto,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { CreateReplyDto, ListRepliesQuery, RejectReplyDto } from './dto/reply.dto';
import { ReplyResponse } from './dto/reply.response';
import { RepliesService } from './replies.service';
import { ReplyApprovals } from './reply-approvals.service';
import { ReplyRetries } from './reply-retry.service';
import { ReplyWriter } from './reply-writer.service';

@ApiTags('replies')
@ApiBearerAuth()
@Controller()
export class RepliesController {
  constructor(
    private readonly writer: ReplyWriter,
    private readonly approvals: ReplyApprovals,
    private readonly retries: ReplyRetries,
    private readonly queries: RepliesService,
  ) {}

  @Post('conversations/:id/replies')
  @RequirePermission(Permission.ReplyWrite)
  @ApiCreatedResponse({ type: ReplyResponse, description: 'The reply: pending_approval or queued' })
  @ApiUnprocessableEntityResponse({
    description:
      'tone.violations (tone errors without an override), or reply.in_reply_to_invalid (inReplyToMessageId is not an inbound message of the conversation, or not the customer’s for a private reply)',
  })
  create(
    @Param('id', EntityIdPipe) id: string,
    @Body() dto: CreateReplyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.writer.create(principal, id, dto);
  }

  @Get('conversations/:id/replies')
  @RequirePermission(Permission.ReplyRead)
  @ApiOkResponse({ description: "The conversation's replies, oldest first" })
  ofConversation(
    @Param('id', EntityIdPipe) id: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.ofConversation(principal, id, query);
  }

  @Get('replies')
  @RequirePermission(Permission.ReplyApprove)
  @ApiOkResponse({
    description: 'Replies newest first; ?status=pending_approval is the approval queue',
  })
  list(@Query() query: ListRepliesQuery, @CurrentPrincipal() principal: Principal) {
    return this.queries.list(principal, query);
  }

  @Get('replies/:id')
  @RequirePermission(Permission.ReplyRead)
  @ApiOkResponse({ type: ReplyResponse, description: 'The reply' })
  get(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(principal, id);
  }

  @Post('replies/:id/approve')
  @HttpCode(200)
  @RequirePermission(Permission.ReplyApprove)
  @ApiOkResponse({
    type: ReplyResponse,
    description: 'The reply, queued; never one’s own (403), only a pending one (409)',
  })
  approve(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.approvals.approve(principal, id);
  }

  @Post('replies/:id/reject')
  @HttpCode(200)
  @RequirePermission(Permission.ReplyApprove)
  @ApiOkResponse({ type: ReplyResponse, description: 'The reply, rejected with the comment' })
  reject(
    @Param('id', EntityIdPipe) id: string,
    @Body() dto: RejectReplyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.approvals.reject(principal, id, dto.comment);
  }

  @Post('replies/:id/retry')
  @HttpCode(200)
  @RequirePermission(Permission.ReplyRetry)
  @ApiOkResponse({
    type: ReplyResponse,
    description:
      'A new attempt of a failed reply that never reached the channel (failure: not_sent): the same reply, judged again as a new reply by its author now, queued again — or pending_approval where the author now needs approval and it was never approved (team lead, admin)',
  })
  @ApiForbiddenResponse({
    description:
      "policy.forbidden when the reply's author no longer holds the conversation; policy.not_eligible when the author may not respond now; policy.template_required for free text where the author now needs a template",
  })
  @ApiUnprocessableEntityResponse({
    description: 'tone.violations when its text breaks the current tone profile',
  })
  @ApiConflictResponse({
    description:
      'conflict when the reply is not failed (or its conversation is closed, or its customer erased); reply.not_retryable when failure is maybe_sent (it may be on the channel: check there, never resend)',
  })
  retry(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.retries.retry(principal, id);
  }
}
