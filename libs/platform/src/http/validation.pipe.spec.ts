import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  validate,
  ValidateNested,
} from 'class-validator';
import type { ArgumentMetadata } from '@nestjs/common';
import { ErrorCode } from '@toonbank/shared';
import { ApiError } from '../errors/api-error';
import { createValidationPipe, validationFields } from './validation.pipe';

class Geo {
  @IsNumber({}, { message: 'lat must be a number' })
  @Min(-90, { message: 'lat too small' })
  @Max(90, { message: 'lat too large' })
  lat!: number;
}

class Address {
  @IsString({ message: 'street must be text' })
  street!: string;

  @IsInt({ message: 'postcode must be an integer' })
  @Min(1000, { message: 'postcode too small' })
  postcode!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => Geo)
  geo?: Geo;
}

class Item {
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  name!: string;

  @IsInt({ message: 'quantity must be an integer' })
  @Min(1, { message: 'quantity too small' })
  quantity!: number;
}

class Order {
  @IsString({ message: 'name must be text' })
  @MinLength(2, { message: 'name too short' })
  name!: string;

  @IsInt({ message: 'age must be an integer' })
  @Min(0, { message: 'age too small' })
  age!: number;

  @ValidateNested()
  @Type(() => Address)
  address!: Address;

  @IsArray({ message: 'items must be a list' })
  @ArrayMaxSize(3, { message: 'at most 3 items' })
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];

  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;
}

const VALID = {
  name: 'Anna',
  age: 30,
  address: { street: 'Damrak 1', postcode: 1012, geo: { lat: 52.37 } },
  items: [
    { name: 'tea', quantity: 2 },
    { name: 'cake', quantity: 1 },
  ],
  email: 'anna@example.org',
};

/** Messages sorted, so that the order class-validator runs the rules in does not matter. */
const sorted = (fields: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(fields).map(([key, messages]) => [key, [...messages].sort()]));

async function fieldsOf(plain: object, parent?: string): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(Order, plain));
  return sorted(parent === undefined ? validationFields(errors) : validationFields(errors, parent));
}

describe('validationFields', () => {
  it.each<[string, object, Record<string, string[]>]>([
    ['a valid object', VALID, {}],
    [
      'a valid object without optional parts',
      { ...VALID, email: undefined, address: { street: 'x', postcode: 1000 } },
      {},
    ],
    ['one top-level rule', { ...VALID, name: 'A' }, { name: ['name too short'] }],
    [
      'two rules of one field',
      { ...VALID, name: 7 },
      { name: ['name must be text', 'name too short'] },
    ],
    [
      'two top-level fields',
      { ...VALID, age: -1, email: 'nope' },
      { age: ['age too small'], email: ['email must be an e-mail address'] },
    ],
    [
      'a missing field',
      { ...VALID, age: undefined },
      { age: ['age must be an integer', 'age too small'] },
    ],
    [
      'a nested field',
      { ...VALID, address: { street: 'x', postcode: 999 } },
      { 'address.postcode': ['postcode too small'] },
    ],
    [
      'two nested fields',
      { ...VALID, address: { street: 1, postcode: 1500.5 } },
      {
        'address.street': ['street must be text'],
        'address.postcode': ['postcode must be an integer'],
      },
    ],
    [
      'a field two levels down',
      { ...VALID, address: { street: 'x', postcode: 1000, geo: { lat: 91 } } },
      { 'address.geo.lat': ['lat too large'] },
    ],
    [
      'an array element',
      { ...VALID, items: [{ name: 'tea', quantity: 0 }] },
      { 'items.0.quantity': ['quantity too small'] },
    ],
    [
      'several array elements',
      {
        ...VALID,
        items: [
          { name: '', quantity: 1 },
          { name: 'ok', quantity: 1 },
          { name: 'x', quantity: 'many' },
        ],
      },
      {
        'items.0.name': ['name must not be empty'],
        'items.2.quantity': ['quantity must be an integer', 'quantity too small'],
      },
    ],
    [
      'the array itself and one of its elements',
      {
        ...VALID,
        items: [
          { name: 'a', quantity: 1 },
          { name: 'b', quantity: 1 },
          { name: 'c', quantity: 1 },
          { name: 'd', quantity: 0 },
        ],
      },
      { items: ['at most 3 items'], 'items.3.quantity': ['quantity too small'] },
    ],
    [
      'top level, nested and array errors together',
      {
        ...VALID,
        name: 'A',
        address: { street: 'x', postcode: 1 },
        items: [{ name: 'x', quantity: 0 }],
      },
      {
        name: ['name too short'],
        'address.postcode': ['postcode too small'],
        'items.0.quantity': ['quantity too small'],
      },
    ],
  ])('%s', async (_label, plain, expected) => {
    expect(await fieldsOf(plain)).toEqual(expected);
  });

  it('names a nested value that is not an object by its own path', async () => {
    const fields = await fieldsOf({ ...VALID, address: 'Damrak 1' });
    expect(Object.keys(fields)).toEqual(['address']);
    expect(fields.address).toHaveLength(1);
  });

  it('names an array that is not an array', async () => {
    const fields = await fieldsOf({ ...VALID, items: 'tea' });
    expect(Object.keys(fields)).toEqual(['items']);
    expect(fields.items).toContain('items must be a list');
  });

  it.each<[string, object, Record<string, string[]>]>([
    ['a top-level field', { ...VALID, name: 'A' }, { 'body.name': ['name too short'] }],
    [
      'a nested field',
      { ...VALID, address: { street: 'x', postcode: 1 } },
      { 'body.address.postcode': ['postcode too small'] },
    ],
    [
      'an array element',
      { ...VALID, items: [{ name: 'x', quantity: 0 }] },
      { 'body.items.0.quantity': ['quantity too small'] },
    ],
  ])('prefixes %s with the parent path', async (_label, plain, expected) => {
    expect(await fieldsOf(plain, 'body')).toEqual(expected);
  });

  it('gives no fields for no errors', () => {
    expect(validationFields([])).toEqual({});
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Order });

  async function refusal(value: unknown): Promise<ApiError> {
    try {
      await run(value);
    } catch (error) {
      return error as ApiError;
    }
    throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  }

  it('lets a valid body through as an instance of the DTO, nested parts included', async () => {
    const result = (await run(structuredClone(VALID))) as Order;
    expect(result).toBeInstanceOf(Order);
    expect(result.address).toBeInstanceOf(Address);
    expect(result.address.geo).toBeInstanceOf(Geo);
    expect(result.items[0]).toBeInstanceOf(Item);
    expect(result).toEqual(plainToInstance(Order, VALID));
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown top-level field', { ...VALID, role: 'admin' }, ['role']],
    [
      'two unknown top-level fields',
      { ...VALID, role: 'admin', isAdmin: true },
      ['role', 'isAdmin'],
    ],
    [
      'an unknown nested field',
      { ...VALID, address: { ...VALID.address, country: 'NL' } },
      ['address.country'],
    ],
    [
      'an unknown field two levels down',
      { ...VALID, address: { ...VALID.address, geo: { lat: 1, lng: 2 } } },
      ['address.geo.lng'],
    ],
    [
      'an unknown field in an array element',
      { ...VALID, items: [{ name: 'tea', quantity: 1, price: 3 }] },
      ['items.0.price'],
    ],
    ['a string for a number', { ...VALID, age: '30' }, ['age']],
    ['a fraction for an integer', { ...VALID, age: 30.5 }, ['age']],
    ['a number for a string', { ...VALID, name: 42 }, ['name']],
    ['a boolean for a string', { ...VALID, name: true }, ['name']],
    ['null for a required field', { ...VALID, name: null }, ['name']],
    ['a string for an object', { ...VALID, address: 'Damrak 1' }, ['address']],
    ['an object for a list', { ...VALID, items: { name: 'tea', quantity: 1 } }, ['items']],
    [
      'a wrong type inside a list',
      { ...VALID, items: [{ name: 'tea', quantity: '1' }] },
      ['items.0.quantity'],
    ],
    [
      'a wrong type deep down',
      { ...VALID, address: { ...VALID.address, geo: { lat: 'north' } } },
      ['address.geo.lat'],
    ],
    ['a missing required field', { ...VALID, age: undefined }, ['age']],
    ['an unknown field and a wrong type', { ...VALID, age: 'old', extra: 1 }, ['age', 'extra']],
    ['an empty body', {}, ['name', 'age', 'items']],
    ['no body', undefined, ['name', 'age', 'items']],
    ['a null body', null, ['name', 'age', 'items']],
  ])('refuses %s with 400 validation.failed naming the fields', async (_label, value, fields) => {
    const error = await refusal(value);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    const details = error.details as { fields: string[]; errors: Record<string, string[]> };
    expect([...details.fields].sort()).toEqual([...fields].sort());
    expect(Object.keys(details.errors).sort()).toEqual([...fields].sort());
    for (const field of fields) expect(details.errors[field]!.length).toBeGreaterThan(0);
    expect(error.message).toBe(`Invalid request: ${details.fields.join(', ')}.`);
  });

  it('tells what is wrong with each field', async () => {
    const error = await refusal({ ...VALID, name: 'A', secret: 1 });
    expect(error.toBody()).toEqual({
      statusCode: 400,
      code: 'validation.failed',
      message: expect.stringMatching(/^Invalid request: (name, secret|secret, name)\.$/),
      details: {
        fields: expect.arrayContaining(['name', 'secret']),
        errors: { name: ['name too short'], secret: ['property secret should not exist'] },
      },
    });
  });
});

describe('createValidationPipe: text PostgreSQL cannot store', () => {
  const pipe = createValidationPipe();
  const fieldsOf = async (value: unknown, metadata: ArgumentMetadata): Promise<unknown> => {
    try {
      await pipe.transform(value, metadata);
      return 'accepted';
    } catch (error) {
      return ((error as ApiError).details as { fields: string[] }).fields;
    }
  };

  it.each<[string, unknown, ArgumentMetadata, unknown]>([
    [
      'a NUL in a DTO field',
      { ...VALID, name: 'An\u0000na' },
      { type: 'body', metatype: Order },
      ['name'],
    ],
    [
      'before the DTO’s own refusals',
      { name: 'A\ud800', age: 'old' },
      { type: 'body', metatype: Order },
      ['name'],
    ],
    [
      'in a nested DTO field',
      { ...VALID, items: [{ name: '\udc00', quantity: 1 }] },
      { type: 'body', metatype: Order },
      ['items.0.name'],
    ],
    [
      'in a field the DTO does not declare',
      { ...VALID, extra: '\u0000' },
      { type: 'body', metatype: Order },
      ['extra'],
    ],
    ['a body without a DTO', { a: { b: '\u0000' } }, { type: 'body', metatype: Object }, ['a.b']],
    ['a whole query', { q: '\u0000' }, { type: 'query', metatype: Object }, ['q']],
    ['one query parameter', '\u0000', { type: 'query', metatype: String, data: 'q' }, ['q']],
    [
      'a route id (its EntityIdPipe answers 404)',
      '\u0000',
      { type: 'param', metatype: String, data: 'id' },
      'accepted',
    ],
    ['a custom decorator (the principal)', { name: '\u0000' }, { type: 'custom' }, 'accepted'],
    ['clean text', VALID, { type: 'body', metatype: Order }, 'accepted'],
  ])('%s', async (_label, value, metadata, expected) => {
    expect(await fieldsOf(value, metadata)).toEqual(expected);
  });
});
