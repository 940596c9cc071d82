import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  EntityIdPipe,
  RequirePermission,
  type Principal,
} from '@toonbank/platform';
import { Permission } from '@toonbank/shared';
import { CreateTemplateDto, ListTemplatesQuery, UpdateTemplateDto } from './dto/template.dto';
import { TemplateResponse } from './dto/template.response';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @RequirePermission(Permission.TemplateRead)
  @ApiOkResponse({
    description:
      'A page of templates by name (items: Template, each with toneOk per channel); ?provider= keeps those meant for that channel',
  })
  list(@Query() query: ListTemplatesQuery, @CurrentPrincipal() principal: Principal) {
    return this.templates.list(principal, query);
  }

  @Post()
  @RequirePermission(Permission.TemplateManage)
  @ApiCreatedResponse({
    type: TemplateResponse,
    description:
      'The template; 400 for an unknown placeholder, 422 tone.violations for tone errors',
  })
  create(@Body() dto: CreateTemplateDto, @CurrentPrincipal() principal: Principal) {
    return this.templates.create(principal, dto);
  }

  @Patch(':id')
  @RequirePermission(Permission.TemplateManage)
  @ApiOkResponse({ type: TemplateResponse, description: 'The template, checked again as a whole' })
  update(
    @Param('id', EntityIdPipe) id: string,
    @Body() dto: UpdateTemplateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.templates.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission(Permission.TemplateManage)
  @ApiOkResponse({
    type: TemplateResponse,
    description: 'The deleted template; replies written from it keep their link',
  })
  remove(@Param('id', EntityIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.templates.remove(principal, id);
  }
}
