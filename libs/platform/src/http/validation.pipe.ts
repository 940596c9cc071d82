import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { unstorableTextFields } from './request-values';

/** Flattens nested class-validator errors into `field.path → messages`. */
export function validationFields(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields[path] = Object.values(error.constraints);
    Object.assign(fields, validationFields(error.children ?? [], path));
  }
  return fields;
}

/**
 * Text PostgreSQL cannot store (a NUL, half a surrogate pair) in the body or the query is
 * refused before the DTO is even looked at: whichever field it is in, whether or not the
 * DTO validates that field, and for handlers that take the body or query without a DTO.
 * Route ids are left to their EntityIdPipe: an id that is not a UUID answers 404 (API.md).
 */
export function refuseUnstorableText(value: unknown, metadata: ArgumentMetadata): void {
  if (metadata.type !== 'body' && metadata.type !== 'query') return;
  const fields = unstorableTextFields(value, metadata.data);
  const names = Object.keys(fields);
  if (names.length > 0) throw ApiError.validation(`Invalid request: ${names.join(', ')}.`, fields);
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    refuseUnstorableText(value, metadata);
    return super.transform(value, metadata);
  }
}

/**
 * The global validation: text PostgreSQL cannot store is refused, DTOs are whitelisted,
 * unknown fields are refused, and every failure is a 400 `validation.failed` naming the
 * fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => {
      const fields = validationFields(errors);
      const names = Object.keys(fields);
      const message = names.length
        ? `Invalid request: ${names.join(', ')}.`
        : 'Invalid request body.';
      return ApiError.validation(message, fields);
    },
  });
}
