import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@toonbank/platform';
import { ROLES, type Role } from '@toonbank/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** Fields shared by creating and editing a user. */
class UserFieldsDto {
  @ApiPropertyOptional({ example: 'AV', description: 'Defaults to the initials of the name' })
  @IsOptionalNotNull()
  @Transform(upper)
  @Matches(/^\p{Lu}{1,4}$/u, { message: 'initials must be 1 to 4 letters' })
  initials?: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Date of the last social-media training; null clears it',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  trainedAt?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 200, default: 10 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(200)
  capacity?: number;

  @ApiPropertyOptional({ type: [String], example: ['nl', 'en'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @Matches(/^[a-z]{2}$/, {
    each: true,
    message: 'each language must be a two-letter code such as nl',
  })
  languages?: string[];
}

export class CreateUserDto extends UserFieldsDto {
  @ApiProperty({ example: 'anna@example.org' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Anna de Vries' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class UpdateUserDto extends UserFieldsDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    description: 'false ends the user’s sessions and hands their conversations back',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

export class AvailabilityDto {
  @ApiProperty()
  @IsBoolean()
  available!: boolean;
}
