import { Route, Routes } from 'react-router-dom';
import { EmptyState } from '../../components/widgets';

/** The offers area's screens (paths relative to /offers). */
export default function OffersRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState description="建设中 · Coming soon" />} />
    </Routes>
  );
}
