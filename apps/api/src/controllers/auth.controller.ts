import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { AccountThrottleGuard, Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, Public, RequirePermissions } from '@gongxiao/core';
import {
  AcceptedDto,
  ApiKeyResponseDto,
  ConfirmPasswordResetDto,
  PasswordResetService,
  RequestPasswordResetDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  CurrentSessionResponseDto,
  CreateMemberDto,
  LoginDto,
  MemberResponseDto,
  MerchantResponseDto,
  MerchantsService,
  SessionResponseDto,
  SignUpDto,
} from '@gongxiao/merchants';
import { SettlementSettingsService } from '@gongxiao/settlement';

@ApiTags('merchants')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly resets: PasswordResetService,
    private readonly settlementSettings: SettlementSettingsService,
  ) {}

  @Post('auth/sign-up')
  @Public()
  @UseGuards(AccountThrottleGuard)
  @ApiOperation({ summary: 'Sign up a merchant and its owner (throttled per email and per IP)' })
  @ApiCreatedResponse({ type: SessionResponseDto, description: 'The merchant, its owner, and a login token' })
  @ApiOperation({ summary: 'Sign up: a new merchant and its owner, logged in' })
  @ApiErrors(400, 409, 429)
  signUp(@Body() input: SignUpDto) {
    return this.merchants.signUp(input);
  }

  @Post('auth/login')
  @Public()
  @UseGuards(AccountThrottleGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in a member (throttled per email and per IP; every attempt counts)' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiOperation({ summary: 'Log in with email and password: a login token' })
  @ApiErrors(400, 401, 429)
  login(@Body() input: LoginDto) {
    return this.merchants.login(input);
  }

  @Post('auth/password-reset')
  @Public()
  @UseGuards(AccountThrottleGuard)
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password reset (always 202, whether or not the email is known; throttled)',
    description: 'A one-time token is stored (hashed) for a known active member. There is no mail delivery yet: an owner can issue a token with POST /v1/members/{memberId}/password-reset.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(400, 429)
  async requestPasswordReset(@Body() input: RequestPasswordResetDto): Promise<AcceptedDto> {
    await this.resets.request(input.email);
    return { accepted: true };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @UseGuards(AccountThrottleGuard)
  @SkipThrottle({ email: true })
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a reset token; ends every session of the member (throttled per IP)' })
  @ApiNoContentResponse({ description: 'Password changed; log in with it' })
  @ApiErrors(400, 429)
  async confirmPasswordReset(@Body() input: ConfirmPasswordResetDto): Promise<void> {
    await this.resets.confirm(input);
  }

  @Post('auth/logout')
  @RequirePermissions()
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: this login token stops working' })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@Actor() actor: ActorContext, @Headers('authorization') authorization: string) {
    await this.merchants.logout(actor, authorization.replace(/^Bearer\s+/i, ''));
  }

  @Get('auth/session')
  @RequirePermissions()
  @ApiOkResponse({ type: CurrentSessionResponseDto })
  @ApiOperation({ summary: 'Who you are: your merchant, member, permissions and time zone' })
  async session(@Actor() actor: ActorContext): Promise<CurrentSessionResponseDto> {
    const [session, settings] = await Promise.all([this.merchants.currentSession(actor), this.settlementSettings.get(actor)]);
    return { ...session, timeZone: settings.timeZone };
  }

  @Get('merchants/me')
  @RequirePermissions()
  @ApiOkResponse({ type: MerchantResponseDto })
  @ApiOperation({ summary: 'Your merchant' })
  me(@Actor() actor: ActorContext) {
    return this.merchants.getMerchant(actor);
  }

  @Get('members')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: 'Members of your merchant, oldest first' })
  @ApiPageResponse(MemberResponseDto)
  @ApiErrors(400)
  listMembers(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.merchants.listMembers(actor, query);
  }

  @Post('members')
  @RequirePermissions('merchant:manage')
  @ApiCreatedResponse({ type: MemberResponseDto })
  @ApiOperation({ summary: 'Add a member with a role' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  addMember(@Actor() actor: ActorContext, @Body() input: CreateMemberDto) {
    return this.merchants.addMember(actor, input);
  }

  @Get('api-keys')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: 'API keys of your merchant (never the key itself), oldest first' })
  @ApiPageResponse(ApiKeyResponseDto)
  @ApiErrors(400)
  listApiKeys(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.merchants.listApiKeys(actor, query);
  }

  @Post('api-keys')
  @RequirePermissions('merchant:manage')
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto, description: 'The key is in this response only' })
  @ApiOperation({ summary: 'Create an API key with chosen permissions' })
  @ApiIdempotencyKey()
  @ApiErrors(400)
  createApiKey(@Actor() actor: ActorContext, @Body() input: CreateApiKeyDto) {
    return this.merchants.createApiKey(actor, input);
  }

  @Post('api-keys/:apiKeyId/revoke')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once' })
  @ApiErrors(404, 409)
  revokeApiKey(@Actor() actor: ActorContext, @Param('apiKeyId') apiKeyId: string) {
    return this.merchants.revokeApiKey(actor, apiKeyId);
  }
}
