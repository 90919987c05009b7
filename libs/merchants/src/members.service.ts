import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, DomainError, hashToken, isId, NotFoundError, Role, sqlExec } from '@gongxiao/core';
import { assertMember } from './member-actor';
import { ChangePasswordDto, PasswordResetIssuedDto, SessionsRevokedDto } from './accounts.dto';
import { Member } from './member.entity';
import { MemberSession } from './member-session.entity';
import { MemberResponseDto } from './merchants.dto';
import { toMemberResponse } from './merchants.service';
import { PasswordResetService } from './password-reset.service';
import { PasswordHasher } from './passwords/password-hasher';
import { assertAcceptablePassword } from './passwords/password-policy';

/**
 * What an owner does when people come and go (disable, enable, change a role, reset a password,
 * revoke sessions), and a member changing its own password. Every change applies to the next
 * request: the auth guard reads the member's status and role on each one.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordHasher,
    private readonly resets: PasswordResetService,
  ) {}

  /** A disabled member's login tokens and the API keys it created stop working at once. */
  async disable(actor: ActorContext, memberId: string): Promise<MemberResponseDto> {
    const member = await this.changeOwnerSafely(actor, memberId, 'disable', (row) => (row.status = 'disabled'));
    await this.revokeAllSessions(member.id);
    return toMemberResponse(member);
  }

  async enable(actor: ActorContext, memberId: string): Promise<MemberResponseDto> {
    const member = await this.otherMember(actor, memberId, 'enable');
    member.status = 'active';
    await this.em.flush();
    return toMemberResponse(member);
  }

  async changeRole(actor: ActorContext, memberId: string, role: Role): Promise<MemberResponseDto> {
    return toMemberResponse(await this.changeOwnerSafely(actor, memberId, 'change the role of', (row) => (row.role = role)));
  }

  /**
   * Disables or re-roles another member, never leaving the merchant without an active owner: the
   * merchant's owners are serialised on one lock, so two owners demoting each other at once cannot
   * both succeed.
   */
  private async changeOwnerSafely(actor: ActorContext, memberId: string, action: string, change: (member: Member) => void): Promise<Member> {
    await this.otherMember(actor, memberId, action);
    return this.em.transactional(async (em) => {
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`merchant-owners:${actor.merchantId}`]);
      const member = (await em.findOne(Member, { id: memberId, merchantId: actor.merchantId }))!;
      const wasActiveOwner = member.role === 'owner' && member.status === 'active';
      change(member);
      if (wasActiveOwner && (member.role !== 'owner' || member.status !== 'active')) {
        const others = await em.count(Member, { merchantId: actor.merchantId, role: 'owner', status: 'active', id: { $ne: member.id } });
        if (others === 0) throw new ConflictError('last_owner', 'This is the merchant’s last active owner: make another member owner first.', [{ field: 'memberId', reason: 'last active owner' }]);
      }
      return member;
    });
  }

  async revokeSessions(actor: ActorContext, memberId: string): Promise<SessionsRevokedDto> {
    assertMember(actor, 'revoke sessions');
    const member = await this.findMember(actor, memberId);
    return { revoked: await this.revokeAllSessions(member.id) };
  }

  /**
   * An owner resets a member's password: the member's sessions end now and the owner gets a
   * one-time token to hand over; the member chooses its new password with it (the owner never
   * learns it).
   */
  async issuePasswordReset(actor: ActorContext, memberId: string): Promise<PasswordResetIssuedDto> {
    assertMember(actor, 'reset passwords');
    const member = await this.findMember(actor, memberId);
    const issued = await this.resets.issue(member, actor.memberId);
    await this.revokeAllSessions(member.id);
    return { ...issued, member: toMemberResponse(member) };
  }

  /** A member changes its own password; its other sessions end, the one it uses stays. */
  async changeOwnPassword(actor: ActorContext, currentToken: string, input: ChangePasswordDto): Promise<MemberResponseDto> {
    if (!actor.memberId) throw new DomainError('forbidden', 'members_only', 'Only a logged-in member changes its password, not an API key.');
    const member = await this.em.findOneOrFail(Member, { id: actor.memberId, merchantId: actor.merchantId });
    if (!(await this.passwords.verify(input.currentPassword, member.passwordHash))) {
      throw new DomainError('invalid', 'current_password_wrong', 'currentPassword is wrong.', [{ field: 'currentPassword', reason: 'does not match' }]);
    }
    assertAcceptablePassword(input.newPassword, member.email, 'newPassword');
    member.passwordHash = await this.passwords.hash(input.newPassword);
    await this.em.flush();
    await this.em.nativeUpdate(MemberSession, { memberId: member.id, revokedAt: null, tokenHash: { $ne: hashToken(currentToken) } }, { revokedAt: new Date() });
    return toMemberResponse(member);
  }

  private async revokeAllSessions(memberId: string): Promise<number> {
    return this.em.nativeUpdate(MemberSession, { memberId, revokedAt: null }, { revokedAt: new Date() });
  }

  private async findMember(actor: ActorContext, memberId: string): Promise<Member> {
    const member = isId(memberId) ? await this.em.findOne(Member, { id: memberId, merchantId: actor.merchantId }) : null;
    if (!member) throw new NotFoundError('member', memberId);
    return member;
  }

  /** Owners cannot disable themselves or change their own role: a merchant never loses its last owner that way. */
  private async otherMember(actor: ActorContext, memberId: string, action: string): Promise<Member> {
    assertMember(actor, `${action} members`);
    const member = await this.findMember(actor, memberId);
    if (member.id === actor.memberId) throw new ConflictError('own_membership', `You cannot ${action} yourself: ask another owner.`);
    return member;
  }
}
