import { ApiError } from '../api/errors';
import type { Language } from '../i18n/i18n';

type Title = Record<Language, string>;

/** Titles for the api's stable error codes (its `message` stays the detail line beneath). */
const BY_CODE: Record<string, Title> = {
  validation_failed: { 'zh-CN': '填写的内容有误', en: 'Some input is not valid' },
  invalid_json: { 'zh-CN': '请求格式有误', en: 'The request is malformed' },
  invalid_timestamp: { 'zh-CN': '日期或时间格式有误', en: 'A date or time is not valid' },
  invalid_characters: { 'zh-CN': '文字中含有无法保存的字符', en: 'A text contains characters that cannot be stored' },
  invalid_credentials: { 'zh-CN': '邮箱或密码不正确', en: 'Wrong email or password' },
  unauthenticated: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended: sign in again' },
  forbidden: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  members_only: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  scope_beyond_own_permissions: { 'zh-CN': '不能授予超出自己权限的范围', en: 'You cannot grant more than you may do yourself' },
  route_not_found: { 'zh-CN': '找不到该接口', en: 'No such endpoint' },
  already_exists: { 'zh-CN': '已存在相同的记录', en: 'It already exists' },
  concurrent_update: { 'zh-CN': '数据刚被他人修改，请重试', en: 'Someone changed this at the same moment: retry' },
  idempotency_key_reused: { 'zh-CN': '这次提交与上一次的内容不同，请重新提交', en: 'This differs from the request sent before: submit again' },
  idempotency_request_in_progress: { 'zh-CN': '上一次提交仍在处理中，请稍候', en: 'The first submission is still being processed: wait a moment' },
  too_many_requests: { 'zh-CN': '操作太频繁，请稍后再试', en: 'Too many requests: try again shortly' },
  rate_limited: { 'zh-CN': '操作太频繁，请稍后再试', en: 'Too many requests: try again shortly' },
  service_unavailable: { 'zh-CN': '服务暂时不可用，请稍后重试（未做任何更改）', en: 'The service is briefly unavailable: retry (nothing was changed)' },
  busy: { 'zh-CN': '系统繁忙，请稍后重试', en: 'The system is busy: retry shortly' },
  payload_too_large: { 'zh-CN': '内容过大', en: 'The upload is too large' },
  unsupported_media_type: { 'zh-CN': '不支持的文件或内容格式', en: 'This file or content type is not supported' },
  period_closed: { 'zh-CN': '该月份已结账', en: 'That month is closed' },
  stock_insufficient: { 'zh-CN': '库存不足', en: 'Not enough stock' },
  stock_would_go_negative: { 'zh-CN': '库存不能为负', en: 'Stock cannot go below zero' },
  fulfillment_order_cancelled: { 'zh-CN': '订单已取消，请勿发货', en: 'The order was cancelled: do not ship' },
  fulfillment_line_cancelled: { 'zh-CN': '该商品已取消，请勿发货', en: 'This line was cancelled: do not ship' },
  fulfillment_order_already_shipped: { 'zh-CN': '订单已发货', en: 'The order has already shipped' },
  email_taken: { 'zh-CN': '该邮箱已被使用', en: 'That email is already in use' },
  not_an_active_partner: { 'zh-CN': '对方不是合作中的伙伴', en: 'Not an active partner' },
  made_to_order_origin_only: { 'zh-CN': '只有源头货源可以设置按单生产', en: 'Only an origin offer can be made to order' },
  run_below_minimum: { 'zh-CN': '批次低于起订量：勾选“低于起订量仍生产”或取消批次', en: 'The run is below its minimum batch: produce it anyway or cancel it' },
  run_meets_minimum: { 'zh-CN': '批次已达起订量，不能取消，请确认生产', en: 'The run meets its minimum batch: confirm it rather than cancel it' },
  production_run_open: { 'zh-CN': '批次仍在收单中，截单后才能确认', en: 'The run is still open: confirm it after its cut-off' },
  refund_exceeds_paid: { 'zh-CN': '退款金额超过买方已付金额', en: 'The refund is more than the buyer paid' },
};

/** By the HTTP status when the code has no title of its own. */
const BY_STATUS: Record<number, Title> = {
  400: { 'zh-CN': '请求有误', en: 'The request was refused' },
  401: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended: sign in again' },
  403: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  404: { 'zh-CN': '找不到要操作的记录', en: 'Not found' },
  409: { 'zh-CN': '当前状态不允许此操作', en: 'Not possible in the current state' },
  413: { 'zh-CN': '内容过大', en: 'The upload is too large' },
  415: { 'zh-CN': '不支持的文件或内容格式', en: 'This file or content type is not supported' },
  422: { 'zh-CN': '无法处理该内容', en: 'The content cannot be processed' },
  429: { 'zh-CN': '操作太频繁，请稍后再试', en: 'Too many requests: try again shortly' },
  503: { 'zh-CN': '服务暂时不可用，请稍后重试', en: 'The service is briefly unavailable: retry' },
};

const FAILED: Title = { 'zh-CN': '操作失败', en: 'Something went wrong' };
const NETWORK: Title = { 'zh-CN': '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server: check the connection and retry' };

/** The title of an error in the member's language: by the api's code, else its status; a request that got no answer says so. */
export function errorTitle(error: unknown, language: Language): string {
  if (error instanceof ApiError) {
    const title = BY_CODE[error.code] ?? (error.code.endsWith('_not_found') ? BY_STATUS[404] : undefined) ?? BY_STATUS[error.status] ?? FAILED;
    return title[language];
  }
  if (error instanceof TypeError) return NETWORK[language];
  return FAILED[language];
}
