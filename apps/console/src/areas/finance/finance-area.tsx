import { Navigate, Route, Routes } from 'react-router-dom';
import { BalancesPage } from './balances-page';
import { InvoicesPage } from './invoices-page';
import { MarginsPage } from './margins-page';
import { PeriodsPage } from './periods-page';
import { ReconciliationPage } from './reconciliation-page';
import { StatementPage } from './statement-page';
import { StatementsPage } from './statements-page';

/** The finance area's screens (paths relative to /finance). */
export default function FinanceRoutes() {
  return (
    <Routes>
      <Route path="statements" element={<StatementsPage />} />
      <Route path="statements/:statementId" element={<StatementPage />} />
      <Route path="periods" element={<PeriodsPage />} />
      <Route path="balances" element={<BalancesPage />} />
      <Route path="invoices" element={<InvoicesPage />} />
      <Route path="reconciliation" element={<ReconciliationPage />} />
      <Route path="margins" element={<MarginsPage />} />
      <Route path="*" element={<Navigate to="statements" replace />} />
    </Routes>
  );
}
