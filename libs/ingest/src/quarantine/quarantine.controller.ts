import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  PageQueryDto,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { QuarantineService } from './quarantine.service';

const NOT_FOUND = 'not_found: no such channel or quarantined item in your organisation';

/** A channel's quarantined items (issue 13): what could not be stored, for its admins to retry or discard. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('channels/:id/quarantine')
export class QuarantineController {
  constructor(private readonly quarantine: QuarantineService) {}

  @Get()
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({
    description:
      'The channel’s items that could not be stored, newest first: { items: [{ id, channelId, source, externalId, authorHandle, reason, lastError, attempts, receivedAt, rawPreview, rawLength, rawTruncated }], nextCursor }',
  })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  list(
    @Param('id', EntityIdPipe) id: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.quarantine.list(principal, id, query.limit, query.cursor);
  }

  @Post(':itemId/retry')
  @HttpCode(200)
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({
    description:
      'Stored after all (once: stored false when it was there already) and taken out of the quarantine: { stored, messageId, conversationId }',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'quarantine.unstorable: it still cannot be stored; details { reason, attempts }; the item stays',
  })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  retry(
    @Param('id', EntityIdPipe) id: string,
    @Param('itemId', EntityIdPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.quarantine.retry(principal, id, itemId);
  }

  @Post(':itemId/discard')
  @HttpCode(200)
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({ description: 'Thrown away (audited): the item as it was' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  discard(
    @Param('id', EntityIdPipe) id: string,
    @Param('itemId', EntityIdPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.quarantine.discard(principal, id, itemId);
  }
}
