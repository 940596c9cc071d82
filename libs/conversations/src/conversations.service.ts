import { Injectable } from '@nestjs/common';
import { ApiError, CursorCodec, DEFAULT_PAGE_SIZE, type Principal } from '@toonbank/platform';
import type { ConversationDetailDto, ConversationDto, Page } from '@toonbank/shared';
import { presentConversation, presentMessage } from './conversation.presenter';
import {
  ConversationsRepository,
  type ConversationFilters,
  type ConversationPosition,
  type ConversationSort,
} from './conversations.repository';
import type { ListConversationsQuery } from './dto/conversation.dto';

/** Reading the inbox. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(principal: Principal, query: ListConversationsQuery): Promise<Page<ConversationDto>> {
    const sort: ConversationSort = query.sort ?? 'activity';
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filters: ConversationFilters = {
      statuses: query.status,
      assigneeId:
        query.assignee === 'me'
          ? principal.user.id
          : query.assignee === 'none'
            ? null
            : query.assignee,
      channelId: query.channelId,
      customer: query.customer,
      label: query.label,
      q: query.q,
    };
    const after = query.cursor ? this.decode(query.cursor, sort) : undefined;
    const { views, positions } = await this.conversations.page(
      principal.organisation.id,
      filters,
      sort,
      limit + 1,
      after,
    );
    const last = positions[limit - 1];
    return {
      items: views.slice(0, limit).map(presentConversation),
      nextCursor: views.length > limit && last ? this.cursors.encode(last) : null,
    };
  }

  async detail(principal: Principal, id: string): Promise<ConversationDetailDto> {
    const view = await this.conversations.findView(principal.organisation.id, id);
    if (!view) throw ApiError.notFound('The conversation');
    const messages = await this.conversations.messages(principal.organisation.id, id);
    return { ...presentConversation(view), messages: messages.map(presentMessage) };
  }

  /** A cursor of one sort is no good for the other. */
  private decode(cursor: string, sort: ConversationSort): ConversationPosition {
    const position = this.cursors.decode<Record<string, string | number>>(cursor, ['sort', 'id']);
    if (position.sort !== sort) {
      throw ApiError.validation('The cursor belongs to another sort order.', {
        cursor: ['cursor is not valid'],
      });
    }
    return position as unknown as ConversationPosition;
  }
}
