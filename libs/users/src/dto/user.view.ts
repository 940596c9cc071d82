import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type DirectoryUserDto, type Role, type UserDto } from '@toonbank/shared';

/** OpenAPI description of `User` (API.md §Auth). */
export class UserView implements UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() initials!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() active!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) trainedAt!: string | null;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty() available!: boolean;
  @ApiProperty({ description: 'May respond at the current maturity level' }) eligible!: boolean;
  @ApiProperty() approvalsEarned!: number;
  @ApiProperty() approvalLifted!: boolean;
}

export class DirectoryUserView implements DirectoryUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() initials!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() available!: boolean;
}
