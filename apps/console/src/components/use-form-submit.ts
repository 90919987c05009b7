import { FormInstance } from 'antd';
import { useState } from 'react';
import { FieldProblem } from '../api/errors';
import { showFieldErrors } from './api-error';

/**
 * A form's submit: busy while it runs; on failure the api's problems beside the fields they name,
 * the rest (and the error) for an ApiErrorAlert.
 */
export function useFormSubmit<Values>(form: FormInstance<Values>, action: (values: Values) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (failure) {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error, problems };
}
