/** One problem the api names: the field (or row) and why. */
export interface FieldProblem {
  field?: string;
  reason: string;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: FieldProblem[]; requestId?: string };
}

/** The api's error shape as an Error: `code` is stable, `message` is for people, `details` name fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }

  static from(response: Response, body: unknown): ApiError {
    const error = (body as ErrorBody | undefined)?.error;
    if (error?.code) return new ApiError(response.status, error.code, error.message ?? error.code, error.details ?? [], error.requestId);
    return new ApiError(response.status, `http_${response.status}`, `${response.status} ${response.statusText || 'error'}`);
  }

  /** The reason given for a field (a dotted path such as `lines.0.quantity` matches `lines.0.quantity` or `lines`). */
  reasonFor(field: string): string | undefined {
    return this.details.find((detail) => detail.field === field || detail.field?.startsWith(`${field}.`))?.reason;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
