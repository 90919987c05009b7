import { Navigate, Route, Routes } from 'react-router-dom';
import { BatchesPage } from './batches-page';
import { CatalogPage } from './catalog-page';
import { InboxPage } from './inbox-page';
import { InterceptionsPage } from './interceptions-page';
import { OrderPage } from './order-page';
import { ProductionRunsPage } from './production-runs-page';
import { ReturnPage } from './return-page';
import { ReturnsPage } from './returns-page';
import { SheetsPage } from './sheets-page';
import { StockPage } from './stock-page';

/** The warehouse area's screens (paths relative to /warehouse). */
export default function WarehouseRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="inbox" replace />} />
      <Route path="inbox" element={<InboxPage />} />
      <Route path="inbox/:fulfillmentOrderId" element={<OrderPage />} />
      <Route path="batches" element={<BatchesPage />} />
      <Route path="production-runs" element={<ProductionRunsPage />} />
      <Route path="interceptions" element={<InterceptionsPage />} />
      <Route path="returns" element={<ReturnsPage />} />
      <Route path="returns/:returnId" element={<ReturnPage />} />
      <Route path="stock" element={<StockPage />} />
      <Route path="catalog" element={<CatalogPage />} />
      <Route path="sheets" element={<SheetsPage />} />
      <Route path="*" element={<Navigate to="inbox" replace />} />
    </Routes>
  );
}
