import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  AppConfig,
  ConflictError,
  DomainError,
  generateToken,
  hashToken,
  isId,
  NotFoundError,
  Page,
  PageQueryDto,
  pageWindow,
  Permission,
  ROLE_PERMISSIONS,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { PasswordHasher } from './passwords/password-hasher';
import { assertAcceptablePassword } from './passwords/password-policy';
import { ApiKey } from './api-key.entity';
import { assertMember } from './member-actor';
import { Member } from './member.entity';
import { MemberSession } from './member-session.entity';
import { Merchant } from './merchant.entity';
import {
  ApiKeyResponseDto,
  CreateApiKeyDto,
  CurrentSessionResponseDto,
  CreatedApiKeyResponseDto,
  CreateMemberDto,
  LoginDto,
  MemberResponseDto,
  MerchantResponseDto,
  SessionResponseDto,
  SignUpDto,
} from './merchants.dto';

export function toMerchantResponse(merchant: Merchant): MerchantResponseDto {
  return { id: merchant.id, name: merchant.name, createdAt: merchant.createdAt.toISOString() };
}

export function toMemberResponse(member: Member): MemberResponseDto {
  return { id: member.id, email: member.email, name: member.name, role: member.role, status: member.status, createdAt: member.createdAt.toISOString() };
}

function toApiKeyResponse(key: ApiKey): ApiKeyResponseDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

const emailTaken = () =>
  new DomainError('duplicate', 'email_taken', 'A member with this email already exists: log in instead, or use another email.', [{ field: 'email', reason: 'is already registered' }]);

/** Sign-up, login, members and API keys of a merchant. */
@Injectable()
export class MerchantsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * Creates a merchant with its owner and logs the owner in. A taken email is still answered
   * `email_taken` (a console user must know to log in instead); sign-up is throttled per email and
   * per IP, so the answer cannot be used to enumerate accounts in bulk.
   */
  async signUp(input: SignUpDto): Promise<SessionResponseDto> {
    assertAcceptablePassword(input.password, input.email);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.em.transactional(async (em) => {
        const merchant = em.create(Merchant, { name: input.merchantName.trim() });
        await em.flush();
        const member = em.create(Member, {
          merchantId: merchant.id,
          email: input.email.trim().toLowerCase(),
          name: input.ownerName.trim(),
          role: 'owner',
          passwordHash,
        });
        await em.flush();
        return this.openSession(em, merchant, member);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
  }

  /**
   * An unknown email is checked against a dummy hash of the same cost, and a disabled member gets
   * the same answer as a wrong password: the response and its time say nothing about the email.
   * A hash made at a lower cost than configured is replaced now that the password is known.
   */
  async login(input: LoginDto): Promise<SessionResponseDto> {
    const member = await this.em.findOne(Member, { email: input.email.trim().toLowerCase() });
    const matches = await this.passwords.verify(input.password, member?.passwordHash ?? null);
    if (!member || !matches || member.status !== 'active') throw new DomainError('unauthenticated', 'invalid_credentials', 'Email or password is wrong.');
    if (this.passwords.needsRehash(member.passwordHash)) member.passwordHash = await this.passwords.hash(input.password);
    const merchant = await this.em.findOneOrFail(Merchant, { id: member.merchantId });
    return this.em.transactional((em) => this.openSession(em, merchant, member));
  }

  async logout(actor: ActorContext, token: string): Promise<void> {
    await this.em.nativeUpdate(MemberSession, { tokenHash: hashToken(token), merchantId: actor.merchantId, revokedAt: null }, { revokedAt: new Date() });
  }

  async getMerchant(actor: ActorContext): Promise<MerchantResponseDto> {
    const merchant = await this.em.findOneOrFail(Merchant, { id: actor.merchantId });
    return toMerchantResponse(merchant);
  }

  /** The caller's merchant, member (none for an API key) and permissions; the time zone is the caller's to add. */
  async currentSession(actor: ActorContext): Promise<Omit<CurrentSessionResponseDto, 'timeZone'>> {
    const [merchant, member] = await Promise.all([
      this.em.findOneOrFail(Merchant, { id: actor.merchantId }),
      actor.memberId ? this.em.findOne(Member, { id: actor.memberId, merchantId: actor.merchantId }) : Promise.resolve(null),
    ]);
    return { merchant: toMerchantResponse(merchant), member: member ? toMemberResponse(member) : null, permissions: [...actor.permissions].sort() };
  }

  /** Public profile of another merchant (its name), used to confirm a partner before inviting it. */
  async getMerchantName(merchantId: string): Promise<string | null> {
    if (!isId(merchantId)) return null;
    const merchant = await this.em.findOne(Merchant, { id: merchantId });
    return merchant?.name ?? null;
  }

  /** Display names of merchants, for partners' views. */
  async namesOf(merchantIds: string[]): Promise<Map<string, string>> {
    if (merchantIds.length === 0) return new Map();
    const merchants = await this.em.find(Merchant, { id: { $in: merchantIds } });
    return new Map(merchants.map((merchant) => [merchant.id, merchant.name]));
  }

  async listMembers(actor: ActorContext, query: PageQueryDto): Promise<Page<MemberResponseDto>> {
    const { limit, after } = pageWindow(query);
    const members = await this.em.find(Member, { merchantId: actor.merchantId, ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return toPage(members, limit, toMemberResponse);
  }

  async addMember(actor: ActorContext, input: CreateMemberDto): Promise<MemberResponseDto> {
    assertMember(actor, 'add members');
    assertAcceptablePassword(input.password, input.email);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      const member = this.em.create(Member, {
        merchantId: actor.merchantId,
        email: input.email.trim().toLowerCase(),
        name: input.name.trim(),
        role: input.role,
        passwordHash,
      });
      await this.em.flush();
      return toMemberResponse(member);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
  }

  async createApiKey(actor: ActorContext, input: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    assertMember(actor, 'create API keys');
    const beyond = input.scopes.filter((scope) => !actor.can(scope));
    if (beyond.length > 0) {
      throw new DomainError('forbidden', 'scope_beyond_own_permissions', `An API key cannot hold permissions you lack: ${beyond.join(', ')}.`, [
        { field: 'scopes', reason: `you lack ${beyond.join(', ')}` },
      ]);
    }
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw ValidationFailedError.field('expiresAt', 'must be in the future');
    const secret = generateToken('gxk', 30);
    const key = this.em.create(ApiKey, {
      merchantId: actor.merchantId,
      name: input.name.trim(),
      prefix: secret.slice(0, 10),
      secretHash: hashToken(secret),
      scopes: input.scopes,
      createdByMemberId: actor.memberId,
      expiresAt,
    });
    await this.em.flush();
    return { ...toApiKeyResponse(key), key: secret };
  }

  async listApiKeys(actor: ActorContext, query: PageQueryDto): Promise<Page<ApiKeyResponseDto>> {
    const { limit, after } = pageWindow(query);
    const keys = await this.em.find(ApiKey, { merchantId: actor.merchantId, ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return toPage(keys, limit, toApiKeyResponse);
  }

  async revokeApiKey(actor: ActorContext, apiKeyId: string): Promise<ApiKeyResponseDto> {
    const key = isId(apiKeyId) ? await this.em.findOne(ApiKey, { id: apiKeyId, merchantId: actor.merchantId }) : null;
    if (!key) throw new NotFoundError('api key', apiKeyId);
    if (key.revokedAt) throw new ConflictError('api_key_already_revoked', 'This API key is already revoked.');
    key.revokedAt = new Date();
    await this.em.flush();
    return toApiKeyResponse(key);
  }

  /** Resolves a bearer token (API key or login token) to the acting merchant, or null. */
  /**
   * What a member or an API key of this merchant may do now (work done later on its behalf, e.g. an
   * upload applied by the worker, checks it again): a disabled member, a revoked or expired key, or a
   * key whose creator was disabled may do nothing; a key never more than its creator's role allows.
   */
  async currentPermissions(merchantId: string, who: { memberId: string | null; apiKeyId: string | null }): Promise<Set<Permission>> {
    if (who.apiKeyId) {
      const key = await sqlRows<{ scopes: Permission[]; creator_role: Member['role'] | null }>(
        this.em,
        `select k.scopes, m.role as creator_role from api_key k left join member m on m.id = k.created_by_member_id
          where k.id = ? and k.merchant_id = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()) and (m.id is null or m.status = 'active')`,
        [who.apiKeyId, merchantId],
      );
      if (!key[0]) return new Set();
      const allowed = key[0].creator_role ? new Set<Permission>(ROLE_PERMISSIONS[key[0].creator_role]) : null;
      return new Set(allowed ? key[0].scopes.filter((scope) => allowed.has(scope)) : key[0].scopes);
    }
    if (!who.memberId) return new Set();
    const member = await sqlRows<{ role: Member['role'] }>(this.em, `select role from member where id = ? and merchant_id = ? and status = 'active'`, [who.memberId, merchantId]);
    return new Set(member[0] ? ROLE_PERMISSIONS[member[0].role] : []);
  }

  async resolveCredential(token: string): Promise<ActorContext | null> {
    const tokenHash = hashToken(token);
    if (token.startsWith('gxk_')) {
      // One statement: the key (not revoked, not expired, its creator not disabled), and its last
      // use written at most once a minute so that the auth path stays a read.
      const rows = await sqlRows<{ id: string; merchant_id: string; scopes: Permission[]; creator_role: Member['role'] | null }>(
        this.em,
        `with found as (
           select k.id, k.merchant_id, k.scopes, k.last_used_at, m.role as creator_role
             from api_key k left join member m on m.id = k.created_by_member_id
            where k.secret_hash = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
              and (m.id is null or m.status = 'active')
         ), touched as (
           update api_key set last_used_at = now()
            where id in (select id from found where last_used_at is null or last_used_at < now() - interval '1 minute')
         )
         select id, merchant_id, scopes, creator_role from found`,
        [tokenHash],
      );
      const row = rows[0];
      if (!row) return null;
      // A key never holds more than its creator's role allows now: a demotion narrows its keys at once.
      const allowed = row.creator_role ? new Set<Permission>(ROLE_PERMISSIONS[row.creator_role]) : null;
      return new ActorContext(String(row.merchant_id), new Set(allowed ? row.scopes.filter((scope) => allowed.has(scope)) : row.scopes), null, null, String(row.id));
    }
    if (token.startsWith('gxs_')) {
      const rows = await sqlRows<{ member_id: string; merchant_id: string; role: Member['role'] }>(
        this.em,
        `select s.member_id, s.merchant_id, m.role
           from member_session s join member m on m.id = s.member_id
          where s.token_hash = ? and s.revoked_at is null and s.expires_at > now() and m.status = 'active'`,
        [tokenHash],
      );
      const row = rows[0];
      return row ? new ActorContext(String(row.merchant_id), new Set(ROLE_PERMISSIONS[row.role]), String(row.member_id), row.role) : null;
    }
    return null;
  }

  private async openSession(em: EntityManager, merchant: Merchant, member: Member): Promise<SessionResponseDto> {
    const token = generateToken('gxs', 30);
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    em.create(MemberSession, { memberId: member.id, merchantId: merchant.id, tokenHash: hashToken(token), expiresAt });
    await em.flush();
    return { token, expiresAt: expiresAt.toISOString(), merchant: toMerchantResponse(merchant), member: toMemberResponse(member) };
  }
}
