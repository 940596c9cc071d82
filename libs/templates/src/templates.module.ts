import { Module } from '@nestjs/common';
import { TemplatesRepository } from './templates.repository';
import { TemplateTone } from './template-tone';
import { ToneJudge } from './tone-judge';
import { ToneProfilesRepository } from './tone-profiles.repository';

/** The tone profile, its judge and the templates, without their APIs: what replies builds on. */
@Module({
  providers: [ToneProfilesRepository, ToneJudge, TemplatesRepository, TemplateTone],
  exports: [ToneProfilesRepository, ToneJudge, TemplatesRepository, TemplateTone],
})
export class TemplatesModule {}
