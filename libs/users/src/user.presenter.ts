import type { OrganisationEntity, UserEntity } from '@toonbank/database';
import { decideResponse, DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import type { DirectoryUserDto, UserDto } from '@toonbank/shared';

/** The policy in force for an organisation: its own matrix, or the default. */
export const matrixOf = (organisation: OrganisationEntity) =>
  organisation.policyMatrix ?? DEFAULT_POLICY_MATRIX;

export function isEligible(
  user: UserEntity,
  organisation: OrganisationEntity,
  now = new Date(),
): boolean {
  return decideResponse(matrixOf(organisation), organisation.maturityLevel, user, now).eligible;
}

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
