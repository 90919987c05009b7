import { Navigate, Route, Routes } from 'react-router-dom';
import { BulkOrdersPage } from './bulk-orders-page';
import { ExceptionsPage } from './exceptions-page';
import { OrderDetailPage } from './order-detail-page';
import { OrdersPage } from './orders-page';
import { ReturnsPage } from './returns-page';
import { SelectionPage } from './selection-page';
import { ShopsPage } from './shops-page';

/** The distributor area's screens (paths relative to /distributor). */
export default function DistributorRoutes() {
  return (
    <Routes>
      <Route path="orders" element={<OrdersPage />} />
      <Route path="orders/:channelOrderId" element={<OrderDetailPage />} />
      <Route path="exceptions" element={<ExceptionsPage />} />
      <Route path="selection" element={<SelectionPage />} />
      <Route path="shops" element={<ShopsPage />} />
      <Route path="bulk-orders" element={<BulkOrdersPage />} />
      <Route path="returns" element={<ReturnsPage />} />
      <Route path="*" element={<Navigate to="orders" replace />} />
    </Routes>
  );
}
