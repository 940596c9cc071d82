import { Module } from '@nestjs/common';
import { TemplatesController } from './templates.controller';
import { TemplatesModule } from './templates.module';
import { TemplatesService } from './templates.service';

/** /api/templates: the texts to start from, judged against the tone profile. */
@Module({
  imports: [TemplatesModule],
  controllers: [TemplatesController],
  providers: [TemplatesService],
})
export class TemplatesApiModule {}
