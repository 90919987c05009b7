import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, Public, RequirePermissions } from '@gongxiao/core';
import {
  ApiKeyResponseDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  CreateMemberDto,
  LoginDto,
  MemberResponseDto,
  MerchantResponseDto,
  MerchantsService,
  SessionResponseDto,
  SignUpDto,
} from '@gongxiao/merchants';

@ApiTags('merchants')
@Controller('v1')
export class AuthController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post('auth/sign-up')
  @Public()
  @ApiCreatedResponse({ type: SessionResponseDto, description: 'The merchant, its owner, and a login token' })
  signUp(@Body() input: SignUpDto) {
    return this.merchants.signUp(input);
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionResponseDto })
  login(@Body() input: LoginDto) {
    return this.merchants.login(input);
  }

  @Post('auth/logout')
  @RequirePermissions()
  @HttpCode(204)
  async logout(@Actor() actor: ActorContext, @Headers('authorization') authorization: string) {
    await this.merchants.logout(actor, authorization.replace(/^Bearer\s+/i, ''));
  }

  @Get('merchants/me')
  @RequirePermissions()
  @ApiOkResponse({ type: MerchantResponseDto })
  me(@Actor() actor: ActorContext) {
    return this.merchants.getMerchant(actor);
  }

  @Get('members')
  @RequirePermissions('merchant:manage')
  @ApiOkResponse({ type: [MemberResponseDto] })
  listMembers(@Actor() actor: ActorContext) {
    return this.merchants.listMembers(actor);
  }

  @Post('members')
  @RequirePermissions('merchant:manage')
  @ApiCreatedResponse({ type: MemberResponseDto })
  addMember(@Actor() actor: ActorContext, @Body() input: CreateMemberDto) {
    return this.merchants.addMember(actor, input);
  }

  @Get('api-keys')
  @RequirePermissions('merchant:manage')
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  listApiKeys(@Actor() actor: ActorContext) {
    return this.merchants.listApiKeys(actor);
  }

  @Post('api-keys')
  @RequirePermissions('merchant:manage')
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto, description: 'The key is in this response only' })
  createApiKey(@Actor() actor: ActorContext, @Body() input: CreateApiKeyDto) {
    return this.merchants.createApiKey(actor, input);
  }

  @Post('api-keys/:apiKeyId/revoke')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: ApiKeyResponseDto })
  revokeApiKey(@Actor() actor: ActorContext, @Param('apiKeyId') apiKeyId: string) {
    return this.merchants.revokeApiKey(actor, apiKeyId);
  }
}
