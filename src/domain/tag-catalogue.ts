// The default tag catalogue, grouped as the brief groups support work. A workspace
// config may replace it; ids are stable because metrics and the digest group by them.

export type TagGroup = 'pre_sales' | 'after_sales' | 'risk' | 'feedback' | 'other';

export interface Tag {
  id: string;
  label: string;
  group: TagGroup;
}

const t = (group: TagGroup, pairs: [string, string][]): Tag[] => pairs.map(([id, label]) => ({ id, label, group }));

export const DEFAULT_TAGS: Tag[] = [
  ...t('pre_sales', [
    ['sizing', 'Sizing'],
    ['material', 'Material'],
    ['compatibility', 'Compatibility'],
    ['installation', 'Installation'],
    ['delivery_time', 'Delivery time'],
    ['payment', 'Payment'],
    ['discount_code', 'Discount code'],
    ['return_policy', 'Return policy'],
    ['stock', 'Stock'],
  ]),
  ...t('after_sales', [
    ['order_status', 'Order status'],
    ['shipping_delay', 'Shipping delay'],
    ['damaged', 'Damaged item'],
    ['missing_item', 'Missing item'],
    ['wrong_item', 'Wrong item'],
    ['exchange', 'Exchange'],
    ['return_request', 'Return request'],
    ['refund', 'Refund'],
    ['quality', 'Quality'],
    ['cancel', 'Cancellation'],
    ['address_change', 'Address change'],
  ]),
  ...t('risk', [
    ['chargeback', 'Chargeback'],
    ['complaint', 'Complaint'],
  ]),
  ...t('feedback', [['praise', 'Praise']]),
  ...t('other', [['other', 'Other']]),
];
