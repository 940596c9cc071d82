import { ValidateIf } from 'class-validator';

/**
 * May be left out, but not sent as null. (class-validator's @IsOptional lets null through,
 * which would reach a NOT NULL column.)
 */
export const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);
