import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, decodeIdCursor, DomainError, isId, NotFoundError, OutboxService, Page, PageQueryDto, sqlOne, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { MerchantsService, SignUpDto } from '@gongxiao/merchants';
import { generateInviteCode, inviteCodeHash, joinLinkOf, normalizeInviteCode } from './invite-code';
import { CreatedPartnerInviteResponseDto, CreatePartnerInviteDto, InviteStatus, JoinedPartnerResponseDto, PartnerInviteResponseDto } from './partner-invites.dto';
import { PartnershipResponseDto } from './partnerships.dto';
import { PartnershipsService } from './partnerships.service';

const DAY_MS = 86_400_000;
const DEFAULT_LIFETIME_DAYS = 30;
const MAX_LIFETIME_DAYS = 366;

interface InviteRow {
  id: string;
  upstream_merchant_id: string;
  code_hint: string;
  max_uses: number | null;
  uses: number;
  expires_at: string;
  revoked_at: string | null;
  note: string | null;
  currency: string;
  settlement_cycle: string;
  created_at: string;
}

/** Timestamps come back from plain SQL as PostgreSQL writes them. */
const iso = (value: string): string => new Date(value).toISOString();

const INVITE_COLUMNS = `id::text, upstream_merchant_id::text, code_hint, max_uses, uses, expires_at, revoked_at, note, currency, settlement_cycle, created_at`;

function statusOf(row: InviteRow, now = new Date()): InviteStatus {
  if (row.revoked_at) return 'revoked';
  if (new Date(row.expires_at) <= now) return 'expired';
  if (row.max_uses !== null && row.uses >= row.max_uses) return 'used_up';
  return 'active';
}

function present(row: InviteRow): PartnerInviteResponseDto {
  return {
    id: row.id,
    codeHint: `…${row.code_hint}`,
    maxUses: row.max_uses,
    uses: row.uses,
    status: statusOf(row),
    expiresAt: iso(row.expires_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    note: row.note,
    currency: row.currency.trim(),
    settlementCycle: row.settlement_cycle,
    createdAt: iso(row.created_at),
  };
}

/** The same answer for a code that was never issued and one that cannot be a code: nothing about who issued what. */
const inviteNotFound = () => new DomainError('not_found', 'invite_not_found', 'No invite has this code: check the link you were given.');

/** Why a known code no longer works, without naming who issued it. */
function unusable(status: InviteStatus): DomainError {
  const reasons: Record<Exclude<InviteStatus, 'active'>, [string, string]> = {
    expired: ['invite_expired', 'This invite has expired: ask for a new one.'],
    revoked: ['invite_revoked', 'This invite was withdrawn: ask for a new one.'],
    used_up: ['invite_used_up', 'This invite has been used as many times as it allows: ask for a new one.'],
  };
  const [code, message] = reasons[status as Exclude<InviteStatus, 'active'>];
  return new ConflictError(code, message);
}

/**
 * Invite codes: a supplier issues one code (single or multi-use, expiring) and any number of
 * merchants become its active downstream partners through it — a new micro-reseller by signing up
 * with it, an existing merchant by accepting it. A use is counted by one conditional update, the last
 * statement of the joining transaction, so no more merchants join than the invite allows however many
 * try at once, and the invite's row is locked only for the commit.
 */
@Injectable()
export class PartnerInvitesService {
  constructor(
    private readonly em: EntityManager,
    private readonly merchants: MerchantsService,
    private readonly partnerships: PartnershipsService,
    private readonly outbox: OutboxService,
  ) {}

  async create(actor: ActorContext, input: CreatePartnerInviteDto): Promise<CreatedPartnerInviteResponseDto> {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(Date.now() + DEFAULT_LIFETIME_DAYS * DAY_MS);
    if (expiresAt.getTime() <= Date.now()) throw ValidationFailedError.field('expiresAt', 'is in the past');
    if (expiresAt.getTime() > Date.now() + MAX_LIFETIME_DAYS * DAY_MS) throw ValidationFailedError.field('expiresAt', 'is more than a year away');
    const code = generateInviteCode();
    const row = await sqlOne<InviteRow>(
      this.em,
      `insert into partner_invite (upstream_merchant_id, code_hash, code_hint, max_uses, expires_at, note, currency, settlement_cycle, created_by_member_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${INVITE_COLUMNS}`,
      [actor.merchantId, inviteCodeHash(code), code.slice(-4), input.maxUses ?? null, expiresAt, input.note ?? null, input.currency ?? 'CNY', input.settlementCycle ?? 'monthly', actor.memberId],
    );
    return { ...present(row!), code, link: joinLinkOf(code) };
  }

  /** The acting merchant's invites, newest first, with how often each was used. */
  async list(actor: ActorContext, query: PageQueryDto): Promise<Page<PartnerInviteResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<InviteRow>(this.em, `select ${INVITE_COLUMNS} from partner_invite where upstream_merchant_id = ? and (?::bigint is null or id < ?::bigint) order by id desc limit ?`, [
      actor.merchantId,
      before,
      before,
      limit + 1,
    ]);
    return toPage(rows, limit, present);
  }

  /** Withdraws an invite: nobody joins through it any more (partnerships it opened stay). Revoking twice answers the same. */
  async revoke(actor: ActorContext, inviteId: string): Promise<PartnerInviteResponseDto> {
    const row = isId(inviteId)
      ? await sqlOne<InviteRow>(this.em, `update partner_invite set revoked_at = coalesce(revoked_at, now()) where id = ? and upstream_merchant_id = ? returning ${INVITE_COLUMNS}`, [
          inviteId,
          actor.merchantId,
        ])
      : undefined;
    if (!row) throw new NotFoundError('partner invite', inviteId);
    return present(row);
  }

  /** A new merchant signs up through the code and is at once an active downstream partner of the inviter: all or nothing. */
  async join(rawCode: string, input: SignUpDto): Promise<JoinedPartnerResponseDto> {
    const { codeHash, invite } = await this.usableInvite(rawCode);
    return this.em.transactional(async (em) => {
      const session = await this.merchants.signUp(input);
      const partnership = await sqlOne<{ id: string }>(
        em,
        `insert into partnership (upstream_merchant_id, downstream_merchant_id, status, currency, settlement_cycle, accepted_at)
         values (?, ?, 'active', ?, ?, now()) returning id::text`,
        [invite.upstream_merchant_id, session.merchant.id, invite.currency.trim(), invite.settlement_cycle],
      );
      await this.claimUse(em, codeHash);
      return { ...session, partnershipId: partnership!.id };
    });
  }

  /**
   * An existing merchant accepts the code: an active partnership with the inviter. Accepting again,
   * or when already an active partner, answers the partnership and spends no use.
   */
  async accept(actor: ActorContext, rawCode: string): Promise<PartnershipResponseDto> {
    const { codeHash, invite } = await this.usableInvite(rawCode, actor.merchantId);
    if (invite.upstream_merchant_id === actor.merchantId) {
      throw ValidationFailedError.field('code', 'is your own invite: a merchant cannot partner with itself', 'cannot_partner_with_self');
    }
    const partnershipId = await this.em.transactional(async (em) => {
      // Inserted, or an invitation / declined one turned active; the conflicting row is locked either way.
      const changed = await sqlOne<{ id: string }>(
        em,
        `insert into partnership (upstream_merchant_id, downstream_merchant_id, status, currency, settlement_cycle, accepted_at)
         values (?, ?, 'active', ?, ?, now())
         on conflict (upstream_merchant_id, downstream_merchant_id) do update
           set status = 'active', accepted_at = now(), updated_at = now(), currency = excluded.currency, settlement_cycle = excluded.settlement_cycle
           where partnership.status in ('invited', 'declined')
         returning id::text`,
        [invite.upstream_merchant_id, actor.merchantId, invite.currency.trim(), invite.settlement_cycle],
      );
      if (!changed) {
        const existing = await sqlOne<{ id: string; status: string }>(em, `select id::text, status from partnership where upstream_merchant_id = ? and downstream_merchant_id = ?`, [
          invite.upstream_merchant_id,
          actor.merchantId,
        ]);
        if (existing?.status === 'active') return existing.id;
        throw new ConflictError('partnership_suspended', 'Your partnership with this supplier is suspended: it resumes only by the side that suspended it.');
      }
      await this.claimUse(em, codeHash);
      await this.outbox.append(em, [
        { type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `partnership:${changed.id}`, payload: { sellerMerchantId: invite.upstream_merchant_id } },
      ]);
      return changed.id;
    });
    return this.partnerships.get(actor, partnershipId);
  }

  /**
   * The invite behind a code, if it still works (a cheap read before any work: an unusable code
   * costs no password hash). An existing partner of the inviter passes whatever became of the invite,
   * so accepting twice stays an answer, not an error.
   */
  private async usableInvite(rawCode: string, acceptingMerchantId?: string): Promise<{ codeHash: string; invite: InviteRow }> {
    const code = normalizeInviteCode(rawCode);
    if (!code) throw inviteNotFound();
    const codeHash = inviteCodeHash(code);
    const invite = await sqlOne<InviteRow & { already_partner: boolean }>(
      this.em,
      `select ${INVITE_COLUMNS},
              exists (select 1 from partnership p where p.upstream_merchant_id = i.upstream_merchant_id and p.downstream_merchant_id = ?::bigint and p.status = 'active') as already_partner
         from partner_invite i where code_hash = ?`,
      [acceptingMerchantId ?? null, codeHash],
    );
    if (!invite) throw inviteNotFound();
    const status = statusOf(invite);
    if (status !== 'active' && !invite.already_partner) throw unusable(status);
    return { codeHash, invite };
  }

  /** Counts one use, if one is left: the one statement that decides, whatever runs at the same time. */
  private async claimUse(em: EntityManager, codeHash: string): Promise<void> {
    const claimed = await sqlOne<{ id: string }>(
      em,
      `update partner_invite set uses = uses + 1
        where code_hash = ? and revoked_at is null and expires_at > now() and (max_uses is null or uses < max_uses)
        returning id::text`,
      [codeHash],
    );
    if (claimed) return;
    const now = await sqlOne<InviteRow>(em, `select ${INVITE_COLUMNS} from partner_invite where code_hash = ?`, [codeHash]);
    const status = now ? statusOf(now) : 'revoked';
    throw unusable(status === 'active' ? 'used_up' : status);
  }
}
