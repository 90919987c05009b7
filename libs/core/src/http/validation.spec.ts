import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { DomainError, ValidationFailedError } from '../errors/domain-error';
import { createValidationPipe, flattenValidationErrors } from './validation';

class PriceDto {
  @IsInt()
  @Min(0)
  amount!: number;

  @IsString()
  currency!: string;
}

class LineDto {
  @IsString()
  skuCode!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderDto {
  @IsString()
  externalId!: string;

  @ValidateNested()
  @Type(() => PriceDto)
  price!: PriceDto;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines!: LineDto[];
}

const validOrder = () => ({
  externalId: 'A-1001',
  price: { amount: 5990, currency: 'CNY' },
  lines: [
    { skuCode: 'TEA-01', quantity: 1 },
    { skuCode: 'TEA-02', quantity: 2 },
    { skuCode: 'TEA-03', quantity: 3 },
  ],
});

function errorsOf(plain: object) {
  return validateSync(plainToInstance(OrderDto, plain), { whitelist: true, forbidNonWhitelisted: true });
}

describe('flattenValidationErrors', () => {
  it('has nothing to say about a valid body', () => {
    expect(flattenValidationErrors(errorsOf(validOrder()))).toEqual([]);
  });

  it('names array elements by index and nested objects by dot', () => {
    const order = validOrder();
    order.lines[2].quantity = 0;
    order.price.amount = -1;
    const details = flattenValidationErrors(errorsOf(order));
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'lines[2].quantity', reason: 'must not be less than 1' },
        { field: 'price.amount', reason: expect.stringMatching(/^must /) },
      ]),
    );
    // The reason does not repeat the field: the detail names it, and the summary puts the path in front once.
    expect(details.every((detail) => !detail.reason.startsWith('quantity') && !detail.reason.startsWith('amount'))).toBe(true);
    expect(details.map((detail) => detail.field).sort()).toEqual(['lines[2].quantity', 'price.amount']);
  });

  it('lists every bad field, one detail per broken constraint', () => {
    const order = validOrder() as Record<string, unknown> & ReturnType<typeof validOrder>;
    (order.lines[0] as Record<string, unknown>).skuCode = 42;
    (order.lines[1] as Record<string, unknown>).quantity = 'two';
    delete (order as Record<string, unknown>).externalId;
    const fields = flattenValidationErrors(errorsOf(order)).map((detail) => detail.field);
    expect(new Set(fields)).toEqual(new Set(['externalId', 'lines[0].skuCode', 'lines[1].quantity']));
    // "two" is neither an integer nor >= 1: both constraints are reported.
    expect(fields.filter((field) => field === 'lines[1].quantity')).toHaveLength(2);
  });

  it('calls an unknown field "is not a known field", wherever it is', () => {
    const order = { ...validOrder(), coupon: 'FREE' } as ReturnType<typeof validOrder>;
    (order.lines[1] as Record<string, unknown>).discount = 5;
    expect(flattenValidationErrors(errorsOf(order))).toEqual(
      expect.arrayContaining([
        { field: 'coupon', reason: 'is not a known field' },
        { field: 'lines[1].discount', reason: 'is not a known field' },
      ]),
    );
  });

  it('prefixes the parent path and handles a top-level index', () => {
    const [error] = errorsOf({ ...validOrder(), externalId: 7 });
    expect(flattenValidationErrors([error], 'orders[4]')).toEqual([{ field: 'orders[4].externalId', reason: expect.any(String) }]);
    expect(flattenValidationErrors([{ property: '3', children: [error] }])).toEqual([{ field: '[3].externalId', reason: expect.any(String) }]);
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const metadata = { type: 'body' as const, metatype: OrderDto, data: '' };

  it('turns a valid body into an instance of the DTO', async () => {
    const result = await pipe.transform(validOrder(), metadata);
    expect(result).toBeInstanceOf(OrderDto);
    expect(result.lines[0]).toBeInstanceOf(LineDto);
    expect(result.price).toBeInstanceOf(PriceDto);
  });

  it('rejects unknown fields with a ValidationFailedError naming them', async () => {
    const body = { ...validOrder(), coupon: 'FREE' };
    (body.lines[2] as Record<string, unknown>).discount = 5;
    const error = await pipe.transform(body, metadata).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toBeInstanceOf(DomainError);
    const failed = error as ValidationFailedError;
    expect(failed.kind).toBe('invalid');
    expect(failed.code).toBe('validation_failed');
    expect(failed.details).toEqual(
      expect.arrayContaining([
        { field: 'coupon', reason: 'is not a known field' },
        { field: 'lines[2].discount', reason: 'is not a known field' },
      ]),
    );
    expect(failed.details.some((detail) => /should not exist/.test(detail.reason))).toBe(false);
    expect(failed.message).toContain('coupon is not a known field');
  });

  it('reports nested paths and summarises at most three problems in the message', async () => {
    const body = validOrder();
    for (const line of body.lines) line.quantity = 0;
    body.price.amount = -5;
    const error = (await pipe.transform(body, metadata).catch((thrown: unknown) => thrown)) as ValidationFailedError;
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error.details.map((detail) => detail.field).sort()).toEqual(['lines[0].quantity', 'lines[1].quantity', 'lines[2].quantity', 'price.amount']);
    expect(error.message).toMatch(/^The request is invalid: .+; …$/);
  });

  it('hands on as it is a body its DTO accepts as is, and validates every other one with the decorators', async () => {
    class BulkDto {
      @IsInt()
      @Min(0)
      amount!: number;

      static acceptsAsIs(value: unknown): boolean {
        return (value as { amount?: unknown }).amount === 7;
      }
    }
    const bulk = { type: 'body' as const, metatype: BulkDto, data: undefined };
    const plain = { amount: 7 };
    expect(await pipe.transform(plain, bulk)).toBe(plain);
    expect(await pipe.transform({ amount: 8 }, bulk)).toBeInstanceOf(BulkDto);
    const refused = (await pipe.transform({ amount: -1 }, bulk).catch((thrown: unknown) => thrown)) as ValidationFailedError;
    expect(refused.details).toEqual([{ field: 'amount', reason: 'must not be less than 0' }]);
    const nul = (await pipe.transform({ amount: 7, note: 'a\u0000' }, bulk).catch((thrown: unknown) => thrown)) as ValidationFailedError;
    expect(nul.details).toEqual([{ field: 'note', reason: 'contains a NUL character (\\u0000)' }]);
  });
});
