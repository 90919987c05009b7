import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * OpenAPI pieces every route uses, so the document is one a client generator can work from: the
 * error shape, the page shape of lists, and the headers of retried writes and signed pushes.
 */

export class ErrorDetailDto {
  @ApiProperty({ example: 'lines[2].quantity', description: 'The field (or header, or "body", or "row 7" of a file) at fault' })
  field!: string;

  @ApiProperty({ example: 'must not be less than 1', description: 'What is wrong with it, without repeating its name' })
  reason!: string;
}

export class ErrorPayloadDto {
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine code (one per domain error)' })
  code!: string;

  @ApiProperty({ example: 'The request is invalid: lines[2].quantity must not be less than 1', description: 'For people; may change' })
  message!: string;

  @ApiProperty({ type: [ErrorDetailDto] })
  details!: ErrorDetailDto[];
}

/** `{"error": {"code", "message", "details"}}`: the one error shape of the API. */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorPayloadDto })
  error!: ErrorPayloadDto;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid request (validation_failed names every bad field in details)',
  401: 'No, unknown, revoked or expired credential',
  403: 'The credential lacks a permission this route needs',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state, or an Idempotency-Key reused with another body',
  413: 'The body is larger than this route accepts',
  415: 'Unsupported content type',
  422: 'Well-formed but refused by a business rule',
  429: 'Too many requests: wait for Retry-After seconds',
  503: 'Briefly unavailable: retry after Retry-After seconds',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

/** Documents the error statuses a route can answer, each with the error shape. */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponseDto, ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}) })),
  );
}

/** A 200 answering one page of a list: `{data: Item[], nextCursor: string | null}`. */
export function ApiPageResponse(item: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description: description ?? 'One page; pass nextCursor as ?cursor= for the next (null: this was the last page)',
      schema: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, description: 'Opaque; null on the last page', example: null },
        },
      },
    }),
  );
}

/** POSTs that create: a retry with the same key and body answers the first response again. */
export function ApiIdempotencyKey(): MethodDecorator & ClassDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retry safely: the same key and body answer the first response again; the same key with another body is a 409 (1-200 visible ASCII characters, per merchant)',
    schema: { type: 'string', maxLength: 200, example: 'order-2026-11-22-0001' },
  });
}

/** Routes a shop calls with a signed body (see the route's description for the signature). */
export function ApiSignedPush(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'X-Gongxiao-Timestamp', required: true, description: 'Unix seconds; within 5 minutes of ours', schema: { type: 'string', example: '1764580000' } }),
    ApiHeader({
      name: 'X-Gongxiao-Signature',
      required: true,
      description: 'v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> with the shop webhook secret',
      schema: { type: 'string', example: 'v1=5d41402abc4b2a76b9719d911017c592ae6b4c7f1d2e0a8b3c4d5e6f7a8b9c0d' },
    }),
  );
}
