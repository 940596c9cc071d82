import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ReplyEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { DataSource, In } from 'typeorm';
import { presentReply } from './reply.presenter';

/**
 * `reply.updated` after a reply's change is committed: to those who read the inbox, and to
 * its author (who may no longer read it, e.g. when their reply was withdrawn).
 */
@Injectable()
export class ReplyEvents {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async updated(organisationId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const replies = await this.db.manager.findBy(ReplyEntity, {
      organisationId,
      id: In([...new Set(ids)]),
    });
    for (const reply of replies) this.emit(reply);
  }

  emit(reply: ReplyEntity): void {
    const dto = presentReply(reply);
    this.events.toInbox(reply.organisationId, 'reply.updated', dto);
    this.events.toUser(reply.authorId, 'reply.updated', dto);
  }
}
