import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, DomainError, hashToken, isId, NotFoundError, Role } from '@gongxiao/core';
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
    const member = await this.otherMember(actor, memberId, 'disable');
    member.status = 'disabled';
    await this.em.flush();
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
    const member = await this.otherMember(actor, memberId, 'change the role of');
    member.role = role;
    await this.em.flush();
    return toMemberResponse(member);
  }

  async revokeSessions(actor: ActorContext, memberId: string): Promise<SessionsRevokedDto> {
    const member = await this.findMember(actor, memberId);
    return { revoked: await this.revokeAllSessions(member.id) };
  }

  /**
   * An owner resets a member's password: the member's sessions end now and the owner gets a
   * one-time token to hand over; the member chooses its new password with it (the owner never
   * learns it).
   */
  async issuePasswordReset(actor: ActorContext, memberId: string): Promise<PasswordResetIssuedDto> {
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
    const member = await this.findMember(actor, memberId);
    if (member.id === actor.memberId) throw new ConflictError('own_membership', `You cannot ${action} yourself: ask another owner.`);
    return member;
  }
}
