// 演示通知路由：物料需求计算完成的汇总卡片进计划群；缺料提醒进各平台的采购群；两家重点客户的订单进度进客户的订单群，并私信销售员。
// 目标编号是演示值：接入真实平台后，在「通知路由」里改成贵司的群 ID / 机器人。
import type { ChatPlatform, NoticeTargetKind, NoticeTopic } from '../../shared/enums.ts';

export interface SeedNotificationRoute {
  topic: NoticeTopic;
  platform: ChatPlatform;
  targetKind: NoticeTargetKind;
  targetId: string;
  name: string;
  customerCode?: string;
  toOwner?: boolean;
}

const purchaseGroups: [ChatPlatform, string][] = [
  ['lark', 'oc_yunqiao_purchase'],
  ['wecom', 'robot:yunqiao-purchase'],
  ['dingtalk', 'robot:yunqiao-purchase'],
  ['wechat', 'topic:云桥采购群'],
];

const orderGroups: [string, ChatPlatform, string][] = [
  ['C0001', 'lark', 'oc_yunqiao_c0001'],
  ['C0001', 'wecom', 'yunqiao_c0001'],
  ['C0002', 'lark', 'oc_yunqiao_c0002'],
  ['C0002', 'dingtalk', 'cidYunqiaoC0002'],
];

const planGroups: [ChatPlatform, string][] = [
  ['lark', 'oc_yunqiao_plan'],
  ['wecom', 'robot:yunqiao-plan'],
  ['dingtalk', 'robot:yunqiao-plan'],
];

export const notificationRoutes: SeedNotificationRoute[] = [
  ...planGroups.map(([platform, targetId]) => ({ topic: 'mrp.completed' as const, platform, targetKind: 'group' as const, targetId, name: '计划群' })),
  ...purchaseGroups.map(([platform, targetId]) => ({ topic: 'stock.shortage' as const, platform, targetKind: 'group' as const, targetId, name: '采购群' })),
  ...orderGroups.map(([customerCode, platform, targetId]) => ({
    topic: 'order.progress' as const, platform, targetKind: 'group' as const, targetId, name: `${customerCode} 订单群`, customerCode, toOwner: true,
  })),
];
