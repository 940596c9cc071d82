import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  PageQueryDto,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UserView } from './dto/user.view';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission(Permission.UserDirectory)
  @ApiOkResponse({
    description: 'Full User records for team leads and admins, the directory form for others',
  })
  list(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.users.list(principal, query.limit, query.cursor);
  }

  @Get('eligible')
  @RequirePermission(Permission.UserRead)
  @ApiOkResponse({ description: 'Users who may be assigned a conversation right now' })
  eligible(@CurrentPrincipal() principal: Principal) {
    return this.users.eligible(principal);
  }

  @Post()
  @RequirePermission(Permission.UserManage)
  @ApiCreatedResponse({ type: UserView })
  create(@Body() dto: CreateUserDto, @CurrentPrincipal() principal: Principal) {
    return this.users.create(principal, dto);
  }

  @Patch(':id')
  @HttpCode(200)
  @RequirePermission(Permission.UserManage)
  @ApiOkResponse({ type: UserView })
  update(
    @Body() dto: UpdateUserDto,
    @Param('id', EntityIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.users.update(principal, id, dto);
  }
}
