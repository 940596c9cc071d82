import { ApiProperty } from '@nestjs/swagger';
import {
  CHANNEL_PROVIDERS,
  TONE_LANGUAGES,
  type ChannelProvider,
  type TemplateDto,
  type ToneLanguage,
} from '@toonbank/shared';

/**
 * The OpenAPI description of `Template` (libs/shared TemplateDto is the type the API and the web
 * app share; this class only documents it).
 */
export class TemplateResponse implements TemplateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() body!: string;

  @ApiProperty({ enum: CHANNEL_PROVIDERS, isArray: true, description: 'Empty: every channel' })
  providers!: ChannelProvider[];

  @ApiProperty({ enum: TONE_LANGUAGES, nullable: true }) language!: ToneLanguage | null;

  @ApiProperty({ type: [String], description: 'The free {{input.<name>}} slots' })
  inputs!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(CHANNEL_PROVIDERS.map((p) => [p, { type: 'boolean' }])),
    description:
      'Per channel the template is meant for (its providers, or every channel when it names none): true when its text, filled with sample values, passes the organisation’s current tone profile there without an error (what blocks a reply). Computed on the server and kept per profile version and template',
  })
  toneOk!: Partial<Record<ChannelProvider, boolean>>;
}
