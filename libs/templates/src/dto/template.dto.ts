import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptionalNotNull, PageQueryDto } from '@toonbank/platform';
import {
  CHANNEL_PROVIDERS,
  TONE_LANGUAGES,
  type ChannelProvider,
  type ToneLanguage,
} from '@toonbank/shared';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

export const TEMPLATE_NAME_MAX = 100;
export const TEMPLATE_BODY_MAX = 5_000;

export class CreateTemplateDto {
  @ApiProperty({ maxLength: TEMPLATE_NAME_MAX })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(TEMPLATE_NAME_MAX)
  name!: string;

  @ApiProperty({
    maxLength: TEMPLATE_BODY_MAX,
    description:
      'The text with {{customer.name}}, {{customer.handle}}, {{agent.firstName}}, {{agent.initials}}, {{conversation.reference}} and {{input.<name>}}',
  })
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxLength(TEMPLATE_BODY_MAX)
  body!: string;

  @ApiPropertyOptional({
    enum: CHANNEL_PROVIDERS,
    isArray: true,
    description: 'Empty or absent: all channels',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(CHANNEL_PROVIDERS.length)
  @IsIn(CHANNEL_PROVIDERS, { each: true })
  providers?: ChannelProvider[];

  @ApiPropertyOptional({
    enum: TONE_LANGUAGES,
    nullable: true,
    description: "Absent or null: the profile's language",
  })
  @IsOptional()
  @IsIn(TONE_LANGUAGES)
  language?: ToneLanguage | null;
}

/** Any of the fields; the template is checked again as a whole (null leaves a field as it is). */
export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

export class ListTemplatesQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: CHANNEL_PROVIDERS,
    description: 'Only templates meant for this channel',
  })
  @IsOptional()
  @IsIn(CHANNEL_PROVIDERS)
  provider?: ChannelProvider;
}
