/** Ids are PostgreSQL bigints sent as strings; anything else can name no row (and answers 404). */
export function isId(value: string): boolean {
  return /^\d{1,18}$/.test(value);
}
