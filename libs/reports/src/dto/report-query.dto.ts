import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

const BOUND =
  'A date (`YYYY-MM-DD`, a day in the organisation’s time zone) or a date-time with `Z` or an offset (ISO-8601).';

/**
 * `?from=&to=` of the reports. The format and the window's rules (from before to, at most
 * 366 days) are judged by resolveReportWindow, which needs the organisation's zone.
 */
export class ReportQueryDto {
  @ApiPropertyOptional({
    description: `${BOUND} The window starts there (the day's start). Default: seven days before \`to\`.`,
    example: '2026-03-23',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    description: `${BOUND} A date includes its whole day; a date-time is the exclusive end. Default: the end of today.`,
    example: '2026-03-29',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}
