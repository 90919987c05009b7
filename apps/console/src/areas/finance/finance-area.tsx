import { Navigate, Route, Routes } from 'react-router-dom';
import { PeriodsPage } from './periods-page';
import { StatementPage } from './statement-page';
import { StatementsPage } from './statements-page';

/** The finance area's screens (paths relative to /finance). */
export default function FinanceRoutes() {
  return (
    <Routes>
      <Route path="statements" element={<StatementsPage />} />
      <Route path="statements/:statementId" element={<StatementPage />} />
      <Route path="periods" element={<PeriodsPage />} />
      <Route path="*" element={<Navigate to="statements" replace />} />
    </Routes>
  );
}
