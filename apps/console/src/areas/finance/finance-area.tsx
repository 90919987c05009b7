import { Route, Routes } from 'react-router-dom';
import { EmptyState } from '../../components/widgets';

/** The finance area's screens (paths relative to /finance). */
export default function FinanceRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState description="建设中 · Coming soon" />} />
    </Routes>
  );
}
