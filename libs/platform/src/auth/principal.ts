import type { OrganisationEntity, UserEntity } from '@toonbank/database';

/** Who is calling: read afresh from the database on every request. */
export interface Principal {
  user: UserEntity;
  organisation: OrganisationEntity;
  sessionId: string;
}

/** The request as the guard leaves it for the handlers. */
export interface AuthenticatedRequest {
  principal: Principal;
}
