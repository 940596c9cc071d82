import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission, type CustomerErasureDto } from '@toonbank/shared';
import { CustomerErasure } from './customer-erasure';
import { EraseCustomerDto } from './erase-customer.dto';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly erasure: CustomerErasure) {}

  @Post('erase')
  @HttpCode(200)
  @RequirePermission(Permission.CustomerErase)
  @ApiOkResponse({
    description:
      '{ messages, conversations }: the customer’s messages and conversations erased (texts, ' +
      'names, raw payloads; the rows stay for the reports). An unknown or already erased ' +
      'customer is 200 with zeros: erasing twice is erasing once',
  })
  @ApiBadRequestResponse({
    description: 'validation.failed: channelId not a UUID, handle blank or over 200 characters',
  })
  @ApiForbiddenResponse({ description: 'policy.forbidden: only admins erase customers' })
  @ApiNotFoundResponse({ description: 'not_found: no such channel in the organisation' })
  erase(
    @Body() dto: EraseCustomerDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CustomerErasureDto> {
    return this.erasure.erase(principal, dto.channelId, dto.handle);
  }
}
