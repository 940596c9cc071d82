import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import { MaturityChangeEntity, OrganisationEntity } from '@toonbank/database';
import {
  ApiError,
  CursorCodec,
  inTransaction,
  newestFirstPage,
  DEFAULT_PAGE_SIZE,
  EventPublisher,
  type Principal,
} from '@toonbank/platform';
import { matrixProblems, type PolicyMatrix, type PolicyRule } from '@toonbank/policy';
import {
  AuditAction,
  ErrorCode,
  MATURITY_NAMES,
  type MaturityChangeDto,
  type MaturityLevel,
  type OrganisationDto,
  type Page,
  type UserDto,
} from '@toonbank/shared';
import { presentUser } from '@toonbank/users';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChangeMaturityDto, PolicyMatrixDto, UpdatePolicyDto } from './dto/policy.dto';
import { eligibilityShift, PolicyEffects } from './eligibility-shift';
import { presentOrganisation } from './organisation.presenter';
import { presentPolicy, type PolicyDto } from './policy.presenter';

export interface MaturityPreviewDto {
  gaining: UserDto[];
  losing: UserDto[];
  conversationsReturned: number;
  repliesWithdrawn: number;
}

/** Keeps only the fields of a rule (the DTO class instance carries nothing else, but be exact). */
const toMatrix = (dto: PolicyMatrixDto): PolicyMatrix => {
  const rules = (rows: PolicyRule[]) =>
    rows.map(({ role, trained, respond, approval, template }) =>
      trained === undefined
        ? { role, respond, approval, template }
        : { role, trained, respond, approval, template },
    );
  return { '1': rules(dto['1']), '2': rules(dto['2']), '3': rules(dto['3']) };
};

/**
 * The maturity level and the policy matrix (SPEC.md §2): changed by an admin only, every
 * change effective at once and audited.
 */
@Injectable()
export class PolicyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly effects: PolicyEffects,
    private readonly audit: AuditLogService,
    private readonly events: EventPublisher,
    private readonly cursors: CursorCodec,
  ) {}

  policy(principal: Principal): PolicyDto {
    return presentPolicy(principal.organisation);
  }

  async changeMaturity(principal: Principal, dto: ChangeMaturityDto): Promise<OrganisationDto> {
    const outcome = await inTransaction(this.db, async (manager) => {
      const organisation = await this.lockOrganisation(manager, principal.organisation.id);
      const from = organisation.maturityLevel;
      if (dto.expectedLevel !== undefined && dto.expectedLevel !== from) {
        // Someone else changed the level after this admin looked: their decision was made on
        // another starting point. Nothing changes; the answer says where the level is now.
        throw new ApiError(
          409,
          ErrorCode.Conflict,
          `The maturity level changed to ${from} in the meantime; nothing was changed.`,
          { maturityLevel: from },
        );
      }
      if (from === dto.level) return null;
      const users = await this.effects.usersOf(manager, organisation.id);
      const before = { ...organisation };
      organisation.maturityLevel = dto.level;
      await manager.save(organisation);
      const shift = eligibilityShift(users, before, organisation);
      const released = await this.effects.release(
        manager,
        organisation.id,
        shift,
        principal.user.id,
        `maturity level ${dto.level > from ? 'raised' : 'lowered'} to ${dto.level} (${MATURITY_NAMES[dto.level]})`,
      );
      await manager.insert(MaturityChangeEntity, {
        organisationId: organisation.id,
        from,
        to: dto.level,
        reason: dto.reason,
        byUserId: principal.user.id,
      });
      await this.audit.record(manager, {
        organisationId: organisation.id,
        actorId: principal.user.id,
        action: AuditAction.OrgMaturityChanged,
        subjectType: 'organisation',
        subjectId: organisation.id,
        before: { maturityLevel: from },
        after: { maturityLevel: dto.level },
        reason: dto.reason,
      });
      return { organisation, shift, released };
    });
    if (!outcome) return presentOrganisation(principal.organisation);
    const view = presentOrganisation(outcome.organisation);
    this.events.toOrganisation(view.id, 'org.updated', view);
    await this.effects.announce(outcome.organisation, outcome.shift, outcome.released);
    return view;
  }

  /** What a change of level would do, without doing it. */
  async preview(principal: Principal, level: MaturityLevel): Promise<MaturityPreviewDto> {
    const organisation = principal.organisation;
    const users = await this.effects.usersOf(this.db.manager, organisation.id);
    const after = { ...organisation, maturityLevel: level };
    const shift = eligibilityShift(users, organisation, after);
    const losing = shift.losing.map((u) => u.id);
    const [counts] = (await this.db.query(
      `SELECT
         (SELECT count(*)::int FROM conversations
           WHERE organisation_id = $1 AND assignee_id = ANY($2) AND status IN ('assigned', 'waiting')) AS conversations,
         (SELECT count(*)::int FROM replies
           WHERE organisation_id = $1 AND author_id = ANY($2) AND status = 'pending_approval') AS replies`,
      [organisation.id, losing],
    )) as [{ conversations: number; replies: number }];
    return {
      gaining: shift.gaining.map((u) => presentUser(u, after as OrganisationEntity)),
      losing: shift.losing.map((u) => presentUser(u, after as OrganisationEntity)),
      conversationsReturned: counts.conversations,
      repliesWithdrawn: counts.replies,
    };
  }

  async history(
    principal: Principal,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<MaturityChangeDto>> {
    const query = this.db.manager
      .createQueryBuilder(MaturityChangeEntity, 'm')
      .where('m.organisation_id = :organisationId', { organisationId: principal.organisation.id });
    return newestFirstPage(
      query,
      { alias: 'm', timeColumn: 'at' },
      { limit, cursor },
      this.cursors,
      (m) => ({
        from: m.from,
        to: m.to,
        reason: m.reason,
        byUserId: m.byUserId,
        at: m.at.toISOString(),
      }),
    );
  }

  /** Within the safe limits of SPEC.md §2 (400 otherwise), with the same effects as a level change. */
  async updatePolicy(principal: Principal, dto: UpdatePolicyDto): Promise<PolicyDto> {
    const matrix = toMatrix(dto.matrix);
    const problems = matrixProblems(matrix);
    if (problems.length > 0) {
      throw ApiError.validation(`The policy breaks the safe limits: ${problems.join('; ')}.`, {
        matrix: problems,
      });
    }
    const outcome = await inTransaction(this.db, async (manager) => {
      const organisation = await this.lockOrganisation(manager, principal.organisation.id);
      const before = { ...organisation };
      const previous = presentPolicy(organisation);
      organisation.policyMatrix = matrix;
      organisation.approvalsToLift = dto.trustLadder.approvalsToLift ?? null;
      const change = changedFields(
        { matrix: previous.matrix, trustLadder: previous.trustLadder },
        { matrix, trustLadder: { approvalsToLift: organisation.approvalsToLift } },
      );
      if (!change) return null;
      await manager.save(organisation);
      const users = await this.effects.usersOf(manager, organisation.id);
      const shift = eligibilityShift(users, before, organisation);
      const released = await this.effects.release(
        manager,
        organisation.id,
        shift,
        principal.user.id,
        'policy changed',
      );
      await this.audit.record(manager, {
        organisationId: organisation.id,
        actorId: principal.user.id,
        action: AuditAction.OrgPolicyChanged,
        subjectType: 'organisation',
        subjectId: organisation.id,
        ...change,
      });
      return { organisation, shift, released };
    });
    if (!outcome) return presentPolicy(principal.organisation);
    await this.effects.announce(outcome.organisation, outcome.shift, outcome.released);
    return presentPolicy(outcome.organisation);
  }

  private async lockOrganisation(manager: EntityManager, id: string): Promise<OrganisationEntity> {
    const organisation = await manager
      .createQueryBuilder(OrganisationEntity, 'o')
      .setLock('for_no_key_update')
      .where('o.id = :id', { id })
      .getOne();
    if (!organisation) throw ApiError.notFound('The organisation');
    return organisation;
  }
}
