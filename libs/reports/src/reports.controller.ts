import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import { Permission, type ReportSummaryDto } from '@toonbank/shared';
import type { Response } from 'express';
import { ReportQueryDto } from './dto/report-query.dto';
import { ReportSummaryResponse } from './dto/report-summary.dto';
import { ReportsService } from './reports.service';

const BAD_WINDOW =
  'validation.failed (details.fields from/to): a bad format, from not before to, or over 366 days';
const NOT_A_LEAD = 'policy.forbidden: only team leads and admins read the reports';

/** The reports (team_lead, admin); every figure is defined on ReportsService. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @RequirePermission(Permission.ReportRead)
  @ApiOkResponse({
    type: ReportSummaryResponse,
    description:
      'First-response and resolution times (median, p90), volume per channel, hour and day, ' +
      'per agent, SLA met and breached, and the maturity history, in the organisation’s zone',
  })
  @ApiBadRequestResponse({ description: BAD_WINDOW })
  @ApiForbiddenResponse({ description: NOT_A_LEAD })
  summary(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReportSummaryDto> {
    return this.reports.summary(principal, query);
  }

  @Get('export.csv')
  @RequirePermission(Permission.ReportRead)
  @ApiProduces('text/csv')
  @ApiOkResponse({
    schema: { type: 'string' },
    description:
      'The summary as CSV (RFC 4180, CRLF), one section per table: a line naming it, a ' +
      'header row, the rows; seconds, local date-times and dates of the organisation’s zone; ' +
      'text that a spreadsheet would run as a formula starts with an apostrophe. ' +
      'Content-Disposition: attachment; filename="toonbank-report-<first day>-<last day>.csv"',
  })
  @ApiBadRequestResponse({ description: BAD_WINDOW })
  @ApiForbiddenResponse({ description: NOT_A_LEAD })
  async export(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { fileName, body } = await this.reports.csv(principal, query);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return body;
  }
}
