import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@toonbank/platform';
import { ROUTING_STRATEGIES, type BusinessHours, type RoutingStrategy } from '@toonbank/shared';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { businessHoursProblems, isTimeZone } from '../business-hours';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UpdateOrganisationDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: ROUTING_STRATEGIES })
  @IsOptionalNotNull()
  @IsIn(ROUTING_STRATEGIES)
  routingStrategy?: RoutingStrategy;

  @ApiPropertyOptional({ minimum: 1, maximum: 10080 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10080)
  slaFirstResponseMinutes?: number;

  @ApiPropertyOptional({
    nullable: true,
    description: 'null = always open; else { mon: [["08:00","20:00"]], ... } in timeZone',
    example: { mon: [['08:00', '20:00']], sat: [['10:00', '16:00']] },
  })
  @IsOptional()
  @ValidateBy({
    name: 'isBusinessHours',
    validator: {
      validate: (value: unknown) => businessHoursProblems(value).length === 0,
      defaultMessage: (args) => `businessHours: ${businessHoursProblems(args?.value).join('; ')}`,
    },
  })
  businessHours?: BusinessHours | null;

  @ApiPropertyOptional({ example: 'Europe/Amsterdam' })
  @IsOptionalNotNull()
  @ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: isTimeZone,
      defaultMessage: () => 'timeZone must be an IANA time zone such as Europe/Amsterdam',
    },
  })
  timeZone?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1440)
  handBackMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(3650)
  rawRetentionDays?: number;
}
