// Chinese labels of the sales documents' states (what users see for each code value).
export const QUOTATION_STATE_LABELS = {
  draft: '草稿',
  sent: '已发送',
  accepted: '已接受',
  expired: '已过期',
  cancelled: '已取消',
} as const;

export const ORDER_STATE_LABELS = {
  draft: '草稿',
  pendingApproval: '待审批',
  confirmed: '已确认',
  closed: '已关闭',
  cancelled: '已取消',
} as const;

export const PROGRESS_LABELS = { none: '无', partial: '部分', full: '全部' } as const;

export const QUALITY_STATUS_LABELS = { pending: '待检', passed: '合格', rejected: '不合格' } as const;
