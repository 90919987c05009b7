import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-error';

/** `?limit=&cursor=`; the cursor is opaque to clients. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be a nextCursor returned by a previous page' })
  cursor?: string;
}

export interface Page<Item> {
  data: Item[];
  nextCursor: string | null;
}

/** Cursor over a descending or ascending bigint id. */
export function decodeIdCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(id)) throw ValidationFailedError.field('cursor', 'is not a cursor returned by a previous page');
  return id;
}

export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<Row extends { id: string }, Item>(rows: Row[], limit: number, map: (row: Row) => Item): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: hasMore ? encodeIdCursor(pageRows[pageRows.length - 1].id) : null,
  };
}

/** The page size and the id after which the page starts, from `?limit=&cursor=`. */
export function pageWindow(query: { limit?: number; cursor?: string }): { limit: number; after: string | null } {
  return { limit: query.limit ?? 50, after: decodeIdCursor(query.cursor) };
}

/** Cursor over a composite key of bigint ids (e.g. warehouse and SKU of a stock level). */
export function encodeKeyCursor(keys: string[]): string {
  return encodeIdCursor(keys.join('.'));
}

export function decodeKeyCursor(cursor: string | undefined, parts: number): string[] | null {
  if (!cursor) return null;
  const keys = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  if (keys.length !== parts || !keys.every((key) => /^\d{1,19}$/.test(key))) throw ValidationFailedError.field('cursor', 'is not a cursor returned by a previous page');
  return keys;
}

/** A report answered whole, in the page shape every list has. */
export function wholePage<Item>(data: Item[]): Page<Item> {
  return { data, nextCursor: null };
}
