import type { OrganisationEntity, UserEntity } from '@toonbank/database';
import { isEligible } from '@toonbank/policy';
import type { DirectoryUserDto, UserDto } from '@toonbank/shared';

/** The `User` of API.md. */
export function presentUser(
  user: UserEntity,
  organisation: OrganisationEntity,
  now = new Date(),
): UserDto {
  const threshold = organisation.approvalsToLift;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    initials: user.initials,
    role: user.role,
    active: user.active,
    trainedAt: user.trainedAt ? user.trainedAt.toISOString() : null,
    capacity: user.capacity,
    languages: user.languages,
    available: user.available,
    eligible: isEligible(user, organisation, now),
    approvalsEarned: user.approvalsEarned,
    approvalLifted: threshold !== null && user.approvalsEarned >= threshold,
  };
}

/** What any colleague may see. */
export function presentDirectoryUser(user: UserEntity): DirectoryUserDto {
  return {
    id: user.id,
    name: user.name,
    initials: user.initials,
    role: user.role,
    available: user.available,
  };
}
