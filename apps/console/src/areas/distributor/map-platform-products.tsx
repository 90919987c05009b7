import { useQueryClient } from '@tanstack/react-query';
import { Modal, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { ExportPlatform, PlatformExportImport } from '../../components/platform-export-import';
import { Shop, useDistributorT } from './hooks';

/** 从平台导入商品映射: the shop's platform product export → listings by SKU code, with the report. */
export function MapPlatformProductsModal({ shop, onClose }: { shop: Shop; onClose: () => void }) {
  const { t } = useDistributorT();
  const queries = useQueryClient();
  return (
    <Modal open title={t('mapPlatformTitle', { name: shop.name })} onCancel={onClose} footer={null} width={960} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('mapPlatformHelp')}</Typography.Paragraph>
      <PlatformExportImport
        testId="distributor-map-platform"
        fixedPlatform={shop.integration as ExportPlatform}
        counts={['listed', 'updated', 'unchanged', 'unmatched']}
        submit={async (body) => {
          const report = await ok(api.POST('/v1/shops/{shopId}/platform-listings', { params: { path: { shopId: shop.id } }, body: {} as never, bodySerializer: () => body }));
          await queries.invalidateQueries({ queryKey: ['distributor'] });
          return report as never;
        }}
      />
    </Modal>
  );
}
