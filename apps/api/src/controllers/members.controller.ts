import { Body, Controller, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, RequirePermissions } from '@gongxiao/core';
import { ChangeMemberRoleDto, ChangePasswordDto, MemberResponseDto, MembersService, PasswordResetIssuedDto, SessionsRevokedDto } from '@gongxiao/merchants';

/** Owners manage the people of their merchant; a member changes its own password. */
@ApiTags('merchants')
@Controller('v1')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post('members/:memberId/disable')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a member: its login tokens and the API keys it created stop working at once' })
  @ApiOkResponse({ type: MemberResponseDto })
  disable(@Actor() actor: ActorContext, @Param('memberId') memberId: string) {
    return this.members.disable(actor, memberId);
  }

  @Post('members/:memberId/enable')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled member again (its API keys work again; it logs in anew)' })
  @ApiOkResponse({ type: MemberResponseDto })
  enable(@Actor() actor: ActorContext, @Param('memberId') memberId: string) {
    return this.members.enable(actor, memberId);
  }

  @Put('members/:memberId/role')
  @RequirePermissions('merchant:manage')
  @ApiOperation({ summary: "Change a member's role (applies to its next request)" })
  @ApiOkResponse({ type: MemberResponseDto })
  changeRole(@Actor() actor: ActorContext, @Param('memberId') memberId: string, @Body() input: ChangeMemberRoleDto) {
    return this.members.changeRole(actor, memberId, input.role);
  }

  @Post('members/:memberId/revoke-sessions')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke every login token of a member' })
  @ApiOkResponse({ type: SessionsRevokedDto })
  revokeSessions(@Actor() actor: ActorContext, @Param('memberId') memberId: string) {
    return this.members.revokeSessions(actor, memberId);
  }

  @Post('members/:memberId/password-reset')
  @RequirePermissions('merchant:manage')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reset a member's password: ends its sessions and returns a one-time token to hand over",
    description: 'The member sets its new password with POST /v1/auth/password-reset/confirm; the owner never learns it.',
  })
  @ApiOkResponse({ type: PasswordResetIssuedDto })
  issuePasswordReset(@Actor() actor: ActorContext, @Param('memberId') memberId: string) {
    return this.members.issuePasswordReset(actor, memberId);
  }

  @Put('members/me/password')
  @RequirePermissions()
  @ApiOperation({ summary: 'Change your own password (members only); your other login tokens are revoked' })
  @ApiOkResponse({ type: MemberResponseDto })
  changeOwnPassword(@Actor() actor: ActorContext, @Headers('authorization') authorization: string, @Body() input: ChangePasswordDto) {
    return this.members.changeOwnPassword(actor, authorization.replace(/^Bearer\s+/i, ''), input);
  }
}
