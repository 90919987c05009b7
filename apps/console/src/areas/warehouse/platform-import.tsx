import { useQueryClient } from '@tanstack/react-query';
import { Modal, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { PlatformExportImport } from '../../components/platform-export-import';
import { useT } from '../../i18n/i18n';
import { warehouseMessages } from './messages';

/** 从平台导入商品: a Shopify / WooCommerce / Youzan product export → products and SKUs by code, with the report. */
export function PlatformImportModal({ onClose }: { onClose: () => void }) {
  const t = useT(warehouseMessages);
  const queries = useQueryClient();
  return (
    <Modal open title={t('platformImportTitle')} onCancel={onClose} footer={null} width={960} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('platformImportHelp')}</Typography.Paragraph>
      <PlatformExportImport
        testId="catalog-platform-import"
        counts={['created', 'updated', 'unchanged', 'skipped']}
        submit={async (body) => {
          const report = await ok(api.POST('/v1/catalog/platform-imports', { body: {} as never, bodySerializer: () => body }));
          await queries.invalidateQueries({ queryKey: ['warehouse', 'products'] });
          return report as never;
        }}
      />
    </Modal>
  );
}
