import type { TemplateEntity } from '@toonbank/database';
import { parsePlaceholders, type TemplateDto } from '@toonbank/shared';
import type { TemplateToneOk } from './template-tone';

/**
 * `toneOk`: per channel, whether it passes the current tone profile (TemplateTone); `inputs`:
 * the body's slots, when the caller has parsed the body already.
 */
export function presentTemplate(
  template: TemplateEntity,
  toneOk: TemplateToneOk,
  inputs: readonly string[] = parsePlaceholders(template.body).inputs,
): TemplateDto {
  return {
    id: template.id,
    name: template.name,
    body: template.body,
    providers: [...template.providers],
    language: template.language,
    inputs: [...inputs],
    createdBy: template.createdBy,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
    toneOk: { ...toneOk },
  };
}

/** What the audit log keeps of a template. */
export const templateAuditView = (template: TemplateEntity) => ({
  name: template.name,
  body: template.body,
  providers: template.providers,
  language: template.language,
});
