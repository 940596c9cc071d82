import { Injectable } from '@nestjs/common';
import { WorkRelease, type ReleasedWork, RoutingTrigger } from '@toonbank/conversations';
import { UserEntity, type OrganisationEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { isEligible, readsInbox, type PolicyOrganisation } from '@toonbank/policy';
import { presentUser } from '@toonbank/users';
import type { EntityManager } from 'typeorm';

/** Who gains and who loses the right to respond when the policy in force changes. */
export interface EligibilityShift {
  gaining: UserEntity[];
  losing: UserEntity[];
}

export function eligibilityShift(
  users: readonly UserEntity[],
  before: PolicyOrganisation,
  after: PolicyOrganisation,
  now = new Date(),
): EligibilityShift {
  const shift: EligibilityShift = { gaining: [], losing: [] };
  for (const user of users) {
    const was = isEligible(user, before, now);
    const is = isEligible(user, after, now);
    if (!was && is) shift.gaining.push(user);
    if (was && !is) shift.losing.push(user);
  }
  return shift;
}

/**
 * The effects of a maturity or policy change (SPEC.md §2), in the transaction of the change:
 * the conversations of everyone who may no longer respond go back to the queue, and their
 * replies waiting for approval are withdrawn. After the commit: the events, and routing (the
 * returned conversations, and the newly eligible who join the pool at once).
 */
@Injectable()
export class PolicyEffects {
  constructor(
    private readonly workRelease: WorkRelease,
    private readonly routing: RoutingTrigger,
    private readonly events: EventPublisher,
  ) {}

  usersOf(manager: EntityManager, organisationId: string): Promise<UserEntity[]> {
    return manager.findBy(UserEntity, { organisationId, active: true });
  }

  async release(
    manager: EntityManager,
    organisationId: string,
    shift: EligibilityShift,
    actorId: string,
    reason: string,
  ): Promise<ReleasedWork> {
    const released: ReleasedWork = { conversationIds: [], replyIds: [] };
    for (const user of shift.losing) {
      const work = await this.workRelease.release(
        manager,
        organisationId,
        user.id,
        actorId,
        reason,
      );
      released.conversationIds.push(...work.conversationIds);
      released.replyIds.push(...work.replyIds);
    }
    return released;
  }

  async announce(
    organisation: OrganisationEntity,
    shift: EligibilityShift,
    released: ReleasedWork,
  ): Promise<void> {
    for (const user of [...shift.gaining, ...shift.losing]) {
      this.events.toUser(user.id, 'user.updated', presentUser(user, organisation));
      this.events.setInboxMember(organisation.id, user.id, readsInbox(user, organisation));
    }
    await this.workRelease.announce(organisation.id, released);
    if (shift.gaining.length > 0)
      await this.routing.routeQueue(organisation.id, 'newly eligible users');
  }
}
