import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from '../errors/api-error';

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
 * The global validation: DTOs are whitelisted, unknown fields are refused, and every
 * failure is a 400 `validation.failed` naming the fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
