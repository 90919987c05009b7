import { Route, Routes } from 'react-router-dom';
import { EmptyState } from '../../components/widgets';

/** The distributor area's screens (paths relative to /distributor). */
export default function DistributorRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState description="建设中 · Coming soon" />} />
    </Routes>
  );
}
