// The command list the bot answers with (for 帮助, and after anything it did not understand).
export const COMMANDS: readonly { usage: string; what: string }[] = [
  { usage: '库存 <品名或编码>', what: '各仓库的在库、预留、可用、在订和安全库存，例如：库存 M8螺栓' },
  { usage: '订单 <单号>', what: '销售订单的状态、发货、收款和最近进展，例如：订单 SO-20261122-0001' },
  { usage: '齐套 <订单号|生产任务单号|物料> [数量]', what: '现在能生产多少、缺哪些料、什么时候到，例如：齐套 SO-20261122-0001、齐套 MO-20261208-0001 MO-20261208-0002 或 齐套 M8螺栓 1000' },
  { usage: '应收 <客户名称或编码>', what: '客户未核销的发票、逾期金额和未核销收款，例如：应收 恒力机械' },
  { usage: '待审批', what: '等你审批的事项' },
  { usage: '帮助', what: '显示这份说明' },
];

export function helpText(reason?: string): string {
  const lines = [
    ...(reason ? [`${reason}。`.replace(/([。！？])。$/, '$1')] : []),
    '云桥机器人可以帮你查：',
    ...COMMANDS.map((c) => `• ${c.usage} — ${c.what}`),
    '在群里 @我 或私聊我都可以。',
  ];
  return lines.join('\n');
}
