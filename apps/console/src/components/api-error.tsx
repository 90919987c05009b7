import { Alert, FormInstance } from 'antd';
import { ApiError, FieldProblem, isApiError } from '../api/errors';
import { useLanguage, useT } from '../i18n/i18n';
import { commonMessages } from './common-messages';
import { errorTitle } from './error-titles';

/**
 * The api's error as people read it: a title in the member's language (from the api's stable code),
 * the api's own message beneath it, the problems it names, and the request id to quote to support.
 */
export function ApiErrorAlert({ error, problems }: { error: unknown; problems?: FieldProblem[] }) {
  const t = useT(commonMessages);
  const { language } = useLanguage();
  if (!error) return null;
  const apiError = isApiError(error) ? error : undefined;
  const listed = problems ?? apiError?.details ?? [];
  const detail = apiError?.message ?? (error as Error).message;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="api-error"
      title={<span data-testid="api-error-title">{errorTitle(error, language)}</span>}
      description={
        <>
          {detail && <div data-testid="api-error-message">{detail}</div>}
          {listed.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {listed.map((problem, index) => (
                <li key={index}>{problem.field ? `${problem.field}: ${problem.reason}` : problem.reason}</li>
              ))}
            </ul>
          )}
          {apiError?.requestId && (
            <small style={{ opacity: 0.7 }}>
              {t('requestId')}: {apiError.requestId}
            </small>
          )}
        </>
      }
      style={{ marginBottom: 16 }}
    />
  );
}

function hasPath(values: unknown, path: (string | number)[]): boolean {
  let node = values as Record<string | number, unknown> | undefined;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = node[part] as Record<string | number, unknown> | undefined;
  }
  return true;
}

/**
 * Puts each problem the api names beside the form field it names (`lines.0.quantity` → the field
 * ['lines', 0, 'quantity']); returns those that name no field of this form, for an ApiErrorAlert.
 */
export function showFieldErrors(form: FormInstance, error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  const values = form.getFieldsValue(true);
  const rest: FieldProblem[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const problem of error.details) {
    const path = problem.field?.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (path && hasPath(values, path)) fields.push({ name: path, errors: [problem.reason] });
    else rest.push(problem);
  }
  form.setFields(fields);
  return rest;
}
