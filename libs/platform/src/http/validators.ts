import { ValidateIf } from 'class-validator';

/**
 * May be left out, but not sent as null. (class-validator's @IsOptional lets null through,
 * which would reach a NOT NULL column.)
 */
export const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/** `?status=a,b`: a query value as a list (empty items dropped); anything else untouched. */
export const commaSeparated = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
