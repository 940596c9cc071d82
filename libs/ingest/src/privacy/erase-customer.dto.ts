import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const CUSTOMER_HANDLE_MAX_LENGTH = 200;

export class EraseCustomerDto {
  @ApiProperty({ format: 'uuid', description: 'The channel account the customer wrote to' })
  @IsUUID()
  channelId!: string;

  @ApiProperty({
    example: '@klant@social.example',
    maxLength: CUSTOMER_HANDLE_MAX_LENGTH,
    description:
      'The customer’s handle as the inbox shows it; a leading @ and letter case do not matter',
  })
  @Transform(trim)
  @IsString()
  @MaxLength(CUSTOMER_HANDLE_MAX_LENGTH)
  @Matches(/[^@\s]/, { message: 'handle must name someone (more than @ and spaces)' })
  handle!: string;
}
