import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@toonbank/platform';
import { CHANNEL_PROVIDERS, type ChannelProvider } from '@toonbank/shared';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MIN_POLL_SECONDS = 10;
export const MAX_POLL_SECONDS = 3600;

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_PROVIDERS })
  @IsIn(CHANNEL_PROVIDERS)
  provider!: ChannelProvider;

  @ApiProperty({ example: 'Mastodon webcare' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    description:
      'Per provider (CHANNELS.md), e.g. Mastodon { instanceUrl, accessToken }; secrets are write-only',
    example: { instanceUrl: 'https://social.example', accessToken: '…' },
  })
  @IsObject()
  config!: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: MIN_POLL_SECONDS, maximum: MAX_POLL_SECONDS, default: 60 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(MIN_POLL_SECONDS)
  @Max(MAX_POLL_SECONDS)
  pollIntervalSeconds?: number;
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ minimum: MIN_POLL_SECONDS, maximum: MAX_POLL_SECONDS })
  @IsOptionalNotNull()
  @IsInt()
  @Min(MIN_POLL_SECONDS)
  @Max(MAX_POLL_SECONDS)
  pollIntervalSeconds?: number;

  @ApiPropertyOptional({ enum: ['active', 'paused'] })
  @IsOptionalNotNull()
  @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';

  @ApiPropertyOptional({
    description: 'A new configuration, checked with the channel like a new one',
  })
  @IsOptionalNotNull()
  @IsObject()
  config?: Record<string, unknown>;
}
