import { Body, Controller, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  PageQueryDto,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { ChangeMaturityDto, MaturityPreviewQuery, UpdatePolicyDto } from './dto/policy.dto';
import { PolicyService } from './policy.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('org')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get('policy')
  @RequirePermission(Permission.PolicyRead)
  @ApiOkResponse({ description: '{ level, rules, matrix, trustLadder }: the policy in force' })
  policy(@CurrentPrincipal() principal: Principal) {
    return this.policies.policy(principal);
  }

  @Put('policy')
  @HttpCode(200)
  @RequirePermission(Permission.PolicyManage)
  @ApiOkResponse({ description: 'The policy in force; 400 when it breaks the safe limits' })
  updatePolicy(@Body() dto: UpdatePolicyDto, @CurrentPrincipal() principal: Principal) {
    return this.policies.updatePolicy(principal, dto);
  }

  @Put('maturity')
  @HttpCode(200)
  @RequirePermission(Permission.OrgMaturityChange)
  @ApiOkResponse({ description: 'The organisation; the effects are committed before the answer' })
  changeMaturity(@Body() dto: ChangeMaturityDto, @CurrentPrincipal() principal: Principal) {
    return this.policies.changeMaturity(principal, dto);
  }

  @Get('maturity/preview')
  @RequirePermission(Permission.OrgMaturityChange)
  @ApiOkResponse({ description: '{ gaining, losing, conversationsReturned, repliesWithdrawn }' })
  preview(@Query() query: MaturityPreviewQuery, @CurrentPrincipal() principal: Principal) {
    return this.policies.preview(principal, query.level);
  }

  @Get('maturity/history')
  @RequirePermission(Permission.PolicyRead)
  @ApiOkResponse({ description: 'Maturity changes, newest first' })
  history(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.policies.history(principal, query.limit, query.cursor);
  }
}
