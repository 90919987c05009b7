import { Route, Routes } from 'react-router-dom';
import { EmptyState } from '../../components/widgets';

/** The warehouse area's screens (paths relative to /warehouse). */
export default function WarehouseRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState description="建设中 · Coming soon" />} />
    </Routes>
  );
}
