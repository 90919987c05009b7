import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccountThrottleGuard, Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, PageQueryDto, Public, RequirePermissions } from '@gongxiao/core';
import { SignUpDto } from '@gongxiao/merchants';
import { CreatedPartnerInviteResponseDto, CreatePartnerInviteDto, JoinedPartnerResponseDto, PartnerInviteResponseDto, PartnerInvitesService, PartnershipResponseDto } from '@gongxiao/partnerships';

@ApiTags('partnerships')
// One parameter name for the id (revoke) and the code (join, accept): the router shares one segment between them.
@Controller('v1/partner-invites')
export class PartnerInvitesController {
  constructor(private readonly invites: PartnerInvitesService) {}

  @Post()
  @RequirePermissions('partners:manage')
  @ApiOperation({ summary: 'Create an invite code that makes merchants your downstream partners' })
  @ApiCreatedResponse({ type: CreatedPartnerInviteResponseDto, description: 'The code and its link, shown only in this response' })
  @ApiIdempotencyKey()
  @ApiErrors(400)
  create(@Actor() actor: ActorContext, @Body() input: CreatePartnerInviteDto) {
    return this.invites.create(actor, input);
  }

  @Get()
  @RequirePermissions('partners:manage')
  @ApiOperation({ summary: 'List your invite codes with their uses, newest first' })
  @ApiPageResponse(PartnerInviteResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.invites.list(actor, query);
  }

  @Post(':invite/revoke')
  @ApiParam({ name: 'invite', description: 'The invite’s id (as listed)' })
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an invite code (partnerships it opened stay)' })
  @ApiOkResponse({ type: PartnerInviteResponseDto })
  @ApiErrors(404)
  revoke(@Actor() actor: ActorContext, @Param('invite') inviteId: string) {
    return this.invites.revoke(actor, inviteId);
  }

  @Post(':invite/join')
  @ApiParam({ name: 'invite', description: 'The invite code (case and dashes do not matter)' })
  @Public()
  // A sign-up: throttled like one, per email and per IP.
  @UseGuards(AccountThrottleGuard)
  @ApiOperation({ summary: 'Sign up through an invite code and become an active partner of the inviter, in one step (throttled like sign-up)' })
  @ApiCreatedResponse({ type: JoinedPartnerResponseDto, description: 'The new merchant, its owner, a login token and the partnership' })
  @ApiErrors(400, 404, 409, 429)
  join(@Param('invite') code: string, @Body() input: SignUpDto) {
    return this.invites.join(code, input);
  }

  @Post(':invite/accept')
  @ApiParam({ name: 'invite', description: 'The invite code (case and dashes do not matter)' })
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invite code as an existing merchant: an active partnership with the inviter' })
  @ApiOkResponse({ type: PartnershipResponseDto, description: 'The active partnership (the same one when accepted again)' })
  @ApiErrors(400, 404, 409)
  accept(@Actor() actor: ActorContext, @Param('invite') code: string) {
    return this.invites.accept(actor, code);
  }
}
