import type { TemplateEntity } from '@toonbank/database';
import { parsePlaceholders, type TemplateDto } from '@toonbank/shared';

/** `inputs`: the body's slots, when the caller has parsed the body already. */
export function presentTemplate(
  template: TemplateEntity,
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
  };
}

/** What the audit log keeps of a template. */
export const templateAuditView = (template: TemplateEntity) => ({
  name: template.name,
  body: template.body,
  providers: template.providers,
  language: template.language,
});
