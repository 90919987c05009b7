import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Injectable, Module } from '@nestjs/common';
import { ActorContext, CredentialResolver } from '@gongxiao/core';
import { ApiKey } from './api-key.entity';
import { Member } from './member.entity';
import { MemberSession } from './member-session.entity';
import { Merchant } from './merchant.entity';
import { MerchantsService } from './merchants.service';
import { MembersService } from './members.service';
import { PasswordReset } from './password-reset.entity';
import { PasswordResetService } from './password-reset.service';
import { PasswordHasher } from './passwords/password-hasher';

@Injectable()
class MerchantCredentialResolver extends CredentialResolver {
  constructor(private readonly merchants: MerchantsService) {
    super();
  }

  resolve(bearerToken: string): Promise<ActorContext | null> {
    return this.merchants.resolveCredential(bearerToken);
  }
}

@Module({
  imports: [MikroOrmModule.forFeature([Merchant, Member, ApiKey, MemberSession, PasswordReset])],
  providers: [MerchantsService, MembersService, PasswordResetService, PasswordHasher, { provide: CredentialResolver, useClass: MerchantCredentialResolver }],
  exports: [MerchantsService, MembersService, PasswordResetService, CredentialResolver],
})
export class MerchantsModule {}
