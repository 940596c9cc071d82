import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@toonbank/platform';
import {
  ADDRESS_FORMS,
  CHANNEL_PROVIDERS,
  REPLY_TEXT_MAX_LENGTH,
  SIGNOFF_PATTERN_MAX_LENGTH,
  TONE_LANGUAGES,
  type AddressForm,
  type ChannelProvider,
  type ToneLanguage,
} from '@toonbank/shared';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class PerChannelAddressDto {
  @ApiPropertyOptional({ enum: ADDRESS_FORMS }) @IsOptional() @IsIn(ADDRESS_FORMS) x?: AddressForm;
  @ApiPropertyOptional({ enum: ADDRESS_FORMS })
  @IsOptional()
  @IsIn(ADDRESS_FORMS)
  mastodon?: AddressForm;
  @ApiPropertyOptional({ enum: ADDRESS_FORMS })
  @IsOptional()
  @IsIn(ADDRESS_FORMS)
  bluesky?: AddressForm;
  @ApiPropertyOptional({ enum: ADDRESS_FORMS })
  @IsOptional()
  @IsIn(ADDRESS_FORMS)
  facebook?: AddressForm;
  @ApiPropertyOptional({ enum: ADDRESS_FORMS })
  @IsOptional()
  @IsIn(ADDRESS_FORMS)
  instagram?: AddressForm;
}

export class AddressFormDto {
  @ApiProperty({ enum: ADDRESS_FORMS }) @IsIn(ADDRESS_FORMS) default!: AddressForm;

  @ApiProperty({ type: PerChannelAddressDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PerChannelAddressDto)
  perChannel!: PerChannelAddressDto;

  @ApiProperty() @IsBoolean() mirrorCustomer!: boolean;
}

export class ForbiddenPhraseDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Matches(/\S/, { message: 'phrase must not be blank' })
  @MaxLength(100)
  phrase!: string;

  @ApiProperty({ maxLength: 200, description: 'What to write instead; may be empty' })
  @IsString()
  @MaxLength(200)
  suggestion!: string;
}

export class SignoffDto {
  @ApiProperty() @IsBoolean() required!: boolean;

  @ApiProperty({
    maxLength: SIGNOFF_PATTERN_MAX_LENGTH,
    description: 'A regular expression (RE2 syntax) the end of the trimmed reply must match',
  })
  @IsString()
  @MaxLength(SIGNOFF_PATTERN_MAX_LENGTH)
  pattern!: string;
}

/** `PUT /api/tone/profile`: the whole profile. */
export class UpdateToneProfileDto {
  @ApiProperty({ enum: TONE_LANGUAGES }) @IsIn(TONE_LANGUAGES) language!: ToneLanguage;

  @ApiProperty({ type: AddressFormDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AddressFormDto)
  addressForm!: AddressFormDto;

  @ApiProperty({ type: [ForbiddenPhraseDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ForbiddenPhraseDto)
  forbiddenPhrases!: ForbiddenPhraseDto[];

  @ApiProperty({ type: SignoffDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SignoffDto)
  signoff!: SignoffDto;

  @ApiProperty() @IsBoolean() emojiAllowed!: boolean;
}

/** `POST /api/tone/check`. */
export class ToneCheckDto {
  @ApiProperty({ maxLength: REPLY_TEXT_MAX_LENGTH })
  @IsString()
  @MaxLength(REPLY_TEXT_MAX_LENGTH)
  text!: string;

  @ApiPropertyOptional({ enum: CHANNEL_PROVIDERS })
  @IsOptionalNotNull()
  @IsIn(CHANNEL_PROVIDERS)
  provider?: ChannelProvider;

  @ApiPropertyOptional({
    description: "Judge as a reply on this conversation (its channel, the customer's words)",
  })
  @IsOptionalNotNull()
  @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({ description: 'A direct message: no PII check' })
  @IsOptionalNotNull()
  @IsBoolean()
  private?: boolean;
}
