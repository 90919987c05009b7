import { Route, Routes } from 'react-router-dom';
import { OfferDetailPage } from './offer-detail-page';
import { PublishedPage } from './published-page';
import { ReceivedPage } from './received-page';

/** The offers area's screens (paths relative to /offers). */
export default function OffersRoutes() {
  return (
    <Routes>
      <Route path="published" element={<PublishedPage />} />
      <Route path="published/:offerId" element={<OfferDetailPage />} />
      <Route path="received" element={<ReceivedPage />} />
    </Routes>
  );
}
