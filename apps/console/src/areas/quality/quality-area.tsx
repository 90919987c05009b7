import { Navigate, Route, Routes } from 'react-router-dom';
import { DelistingRulesPage } from './delisting-rules-page';
import { DelistingsPage } from './delistings-page';
import { ScorecardPage } from './scorecard-page';

/** The service-standards area's screens (paths relative to /quality). */
export default function QualityRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="scorecards" replace />} />
      <Route path="scorecards" element={<ScorecardPage />} />
      <Route path="delisting-rules" element={<DelistingRulesPage />} />
      <Route path="delistings" element={<DelistingsPage />} />
      <Route path="*" element={<Navigate to="scorecards" replace />} />
    </Routes>
  );
}
