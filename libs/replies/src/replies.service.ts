import { Injectable } from '@nestjs/common';
import { ConversationsRepository, presentReply } from '@toonbank/conversations';
import type { ReplyEntity } from '@toonbank/database';
import {
  ApiError,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  PageQueryDto,
  type Principal,
} from '@toonbank/platform';
import type { Page, ReplyDto } from '@toonbank/shared';
import type { ListRepliesQuery } from './dto/reply.dto';
import { RepliesRepository, type ReplyPosition } from './replies.repository';

/** Reading replies: the approval queue, one reply, a conversation's replies. */
@Injectable()
export class RepliesService {
  constructor(
    private readonly replies: RepliesRepository,
    private readonly conversations: ConversationsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(principal: Principal, query: ListRepliesQuery): Promise<Page<ReplyDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const result = await this.replies.page(principal.organisation.id, limit, {
      statuses: query.status,
      after: this.position(query.cursor),
    });
    return this.toPage(result, limit);
  }

  async get(principal: Principal, id: string): Promise<ReplyDto> {
    const reply = await this.replies.find(principal.organisation.id, id);
    if (!reply) throw ApiError.notFound('The reply');
    return presentReply(reply);
  }

  async ofConversation(
    principal: Principal,
    conversationId: string,
    query: PageQueryDto,
  ): Promise<Page<ReplyDto>> {
    const organisationId = principal.organisation.id;
    const after = this.position(query.cursor);
    if (!(await this.conversations.findView(organisationId, conversationId))) {
      throw ApiError.notFound('The conversation');
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return this.toPage(
      await this.replies.ofConversation(organisationId, conversationId, limit, after),
      limit,
    );
  }

  private position(cursor: string | undefined): ReplyPosition | undefined {
    return cursor ? this.cursors.decode<ReplyPosition>(cursor, ['at', 'id']) : undefined;
  }

  private toPage(
    { rows, positions }: { rows: ReplyEntity[]; positions: string[] },
    limit: number,
  ): Page<ReplyDto> {
    const last = rows[limit - 1];
    return {
      items: rows.slice(0, limit).map(presentReply),
      nextCursor:
        rows.length > limit && last
          ? this.cursors.encode({ at: positions[limit - 1] as string, id: last.id })
          : null,
    };
  }
}
