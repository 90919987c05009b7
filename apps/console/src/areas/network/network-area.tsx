import { Route, Routes } from 'react-router-dom';
import { ApiKeysPage } from './api-keys-page';
import { MembersPage } from './members-page';
import { PartnersPage } from './partners-page';

/** The network area's screens (paths relative to /network). */
export default function NetworkRoutes() {
  return (
    <Routes>
      <Route path="partners" element={<PartnersPage />} />
      <Route path="members" element={<MembersPage />} />
      <Route path="api-keys" element={<ApiKeysPage />} />
    </Routes>
  );
}
