import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
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
import type { ConnectorRegistry } from '@toonbank/channels';
import { Permission, type ChannelProviderDto, type Page } from '@toonbank/shared';
import type { Response } from 'express';
import { presentProviders } from './channel.presenter';
import { ChannelsService } from './channels.service';
import { ChannelPollNow } from './poll-now';
import { CONNECTOR_REGISTRY } from './tokens';
import { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';

const REFUSED =
  'channel.credentials_invalid: the channel refused the credentials, or the account is connected in another organisation (one answer for both)';
const ALREADY_HERE = 'conflict: the account is already connected in this organisation';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    private readonly pollNow: ChannelPollNow,
  ) {}

  @Get()
  @RequirePermission(Permission.ChannelRead)
  @ApiOkResponse({
    description: 'The organisation’s channel accounts and their health; never credentials',
  })
  list(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.channels.list(principal, query.limit, query.cursor);
  }

  @Get('providers')
  @RequirePermission(Permission.ChannelRead)
  @ApiOkResponse({
    description:
      'Every provider with how it ingests (poll or webhook) and its config fields: key, English label, kind (text, url, secret), required, placeholder. One page, nextCursor null',
  })
  providers(): Page<ChannelProviderDto> {
    return { items: presentProviders(this.connectors), nextCursor: null };
  }

  @Post()
  @RequirePermission(Permission.ChannelManage)
  @ApiCreatedResponse({
    description: 'Connected, after the channel accepted the credentials (else 422)',
  })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  @ApiConflictResponse({ description: ALREADY_HERE })
  create(@Body() dto: CreateChannelDto, @CurrentPrincipal() principal: Principal) {
    return this.channels.create(principal, dto);
  }

  @Patch(':id')
  @HttpCode(200)
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({ description: 'Changed; new credentials are checked like a new connection' })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  @ApiConflictResponse({ description: ALREADY_HERE })
  update(
    @Body() dto: UpdateChannelDto,
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.channels.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({ description: 'Polling stops; the conversations stay' })
  remove(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.channels.remove(principal, id);
  }

  @Post(':id/poll')
  @HttpCode(200)
  @RequirePermission(Permission.ChannelManage)
  @ApiOkResponse({
    description: '{ fetched, stored }: the poll finished within POLL_NOW_WAIT_SECONDS (10)',
  })
  @ApiAcceptedResponse({
    description:
      '{ jobId }: the poll is still running; `channel.updated` (with `poll`) reaches the caller’s sockets when it ends',
  })
  @ApiConflictResponse({ description: 'conflict: a webhook channel, or a paused one' })
  @ApiServiceUnavailableResponse({
    description: 'service.unavailable: Redis does not answer, or no worker is running',
  })
  async poll(
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.pollNow.poll(principal, id);
    response.status(answer.status);
    return answer.body;
  }
}
