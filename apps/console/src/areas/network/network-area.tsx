import { Route, Routes } from 'react-router-dom';
import { EmptyState } from '../../components/widgets';

/** The network area's screens (paths relative to /network). */
export default function NetworkRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState description="建设中 · Coming soon" />} />
    </Routes>
  );
}
