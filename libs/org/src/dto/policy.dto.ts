import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@toonbank/shared';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class PolicyRuleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Only on the two employee rows' })
  @IsOptional()
  @IsBoolean()
  trained?: boolean;

  @ApiProperty() @IsBoolean() respond!: boolean;
  @ApiProperty() @IsBoolean() approval!: boolean;
  @ApiProperty() @IsBoolean() template!: boolean;
}

/** One list of rules per maturity level. */
export class PolicyMatrixDto {
  @ApiProperty({ type: [PolicyRuleDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PolicyRuleDto)
  '1'!: PolicyRuleDto[];

  @ApiProperty({ type: [PolicyRuleDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PolicyRuleDto)
  '2'!: PolicyRuleDto[];

  @ApiProperty({ type: [PolicyRuleDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PolicyRuleDto)
  '3'!: PolicyRuleDto[];
}

export class TrustLadderDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Approved replies in a row that lift approval; null = off',
  })
  // Required, and null switches the ladder off: leaving it out is not the same as null.
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(1000)
  approvalsToLift!: number | null;
}

export class UpdatePolicyDto {
  @ApiProperty({ type: PolicyMatrixDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PolicyMatrixDto)
  matrix!: PolicyMatrixDto;

  @ApiProperty({ type: TrustLadderDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => TrustLadderDto)
  trustLadder!: TrustLadderDto;
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ChangeMaturityDto {
  @ApiProperty({ enum: [1, 2, 3] })
  @IsIn([1, 2, 3])
  level!: 1 | 2 | 3;

  @ApiProperty({ description: 'Why: kept in the maturity history and the audit log' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;

  @ApiPropertyOptional({
    enum: [1, 2, 3],
    description:
      'The level the admin decided from (the one the preview was computed for). When the ' +
      'level is another one now, the change is refused with 409 `conflict` and ' +
      '`details.maturityLevel` (the level now): it changed under the admin.',
  })
  @IsOptional()
  @IsIn([1, 2, 3])
  expectedLevel?: 1 | 2 | 3;
}

export class MaturityPreviewQuery {
  @ApiProperty({ enum: [1, 2, 3] })
  @Type(() => Number)
  @IsIn([1, 2, 3])
  level!: 1 | 2 | 3;
}
