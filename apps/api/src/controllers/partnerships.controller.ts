import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, RequirePermissions } from '@gongxiao/core';
import { InvitationSentResponseDto, InvitePartnerDto, ListPartnershipsQueryDto, PartnershipResponseDto, PartnershipsService } from '@gongxiao/partnerships';

@ApiTags('partnerships')
@Controller('v1/partnerships')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Post()
  @RequirePermissions('partners:manage')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: InvitationSentResponseDto, description: 'Invitation sent if the id is a merchant (the answer is the same either way); it accepts it from its partnerships' })
  @ApiOperation({ summary: 'Invite a merchant by id to be your downstream partner (the same answer whether or not the id exists)' })
  @ApiIdempotencyKey()
  @ApiErrors(400, 409)
  invite(@Actor() actor: ActorContext, @Body() input: InvitePartnerDto) {
    return this.partnerships.invite(actor, input);
  }

  @Get()
  @RequirePermissions('partners:manage')
  @ApiOperation({ summary: 'Your partnerships' })
  @ApiPageResponse(PartnershipResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListPartnershipsQueryDto) {
    return this.partnerships.list(actor, query);
  }

  @Get(':partnershipId')
  @RequirePermissions('partners:manage')
  @ApiOkResponse({ type: PartnershipResponseDto })
  @ApiOperation({ summary: 'A partnership' })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string) {
    return this.partnerships.get(actor, partnershipId);
  }

  @Post(':partnershipId/accept')
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnershipResponseDto })
  @ApiOperation({ summary: 'Accept an invitation' })
  @ApiErrors(404, 409)
  accept(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string) {
    return this.partnerships.accept(actor, partnershipId);
  }

  @Post(':partnershipId/decline')
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnershipResponseDto })
  @ApiOperation({ summary: 'Decline an invitation' })
  @ApiErrors(404, 409)
  decline(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string) {
    return this.partnerships.decline(actor, partnershipId);
  }

  @Post(':partnershipId/suspend')
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnershipResponseDto })
  @ApiOperation({ summary: 'Suspend a partnership: no new orders flow through it' })
  @ApiErrors(404, 409)
  suspend(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string) {
    return this.partnerships.suspend(actor, partnershipId);
  }

  @Post(':partnershipId/resume')
  @RequirePermissions('partners:manage')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnershipResponseDto })
  @ApiOperation({ summary: 'Resume a suspended partnership' })
  @ApiErrors(404, 409)
  resume(@Actor() actor: ActorContext, @Param('partnershipId') partnershipId: string) {
    return this.partnerships.resume(actor, partnershipId);
  }
}
