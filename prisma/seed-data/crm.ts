// 演示 CRM：线索、商机（各阶段）与跟进记录。李销售的港城汽车商机停在「需求确认」，拜访后推进到「报价」；
// 日期以种子运行的当天为准（day: 距今天数）。
export interface SeedLead {
  owner: string;
  contactName: string;
  company: string;
  title?: string;
  phone?: string;
  source: 'website' | 'exhibition' | 'referral' | 'phone' | 'other';
  status?: 'following' | 'invalid';
  invalidReason?: string;
  remark?: string;
}

export interface SeedOpportunity {
  owner: string;
  customerCode: string;
  title: string;
  amount: string;
  closeInDays: number;
  /** the stage it is moved to after creation (it starts at 初步接洽) */
  stage: string;
  reason?: string;
}

export interface SeedFollowUp {
  owner: string;
  customerCode: string;
  /** the opportunity (by title) it is about */
  opportunity?: string;
  type: 'phone' | 'visit' | 'wechat' | 'email' | 'other';
  content: string;
  nextContactInDays?: number;
}

export const leads: SeedLead[] = [
  { owner: 'li.xs', contactName: '郑建国', company: '宁波杭州湾新区远航汽配有限公司', title: '采购经理', phone: '13805746621', source: 'exhibition', remark: '宁波国际五金展留的名片，要 M8/M10 高强度螺栓报价' },
  { owner: 'li.xs', contactName: '许丽', company: '余姚市舜宇光电支架有限公司', title: '采购', phone: '15888426379', source: 'website', status: 'following', remark: '官网留言询价不锈钢垫圈' },
  { owner: 'wu.xs', contactName: '沈志强', company: '湖州南浔华强电机有限公司', phone: '13957238810', source: 'referral', remark: '慈溪立达介绍' },
  { owner: 'liu.xs', contactName: '黄伟', company: '佛山市三水恒泰钢构有限公司', phone: '13690125587', source: 'phone', status: 'invalid', invalidReason: '只要现货小批量，不在供货范围' },
];

export const opportunities: SeedOpportunity[] = [
  { owner: 'li.xs', customerCode: 'C0002', title: '港城汽车 2027 年 M8 螺栓框架采购', amount: '120000.00', closeInDays: 30, stage: '需求确认' },
  { owner: 'li.xs', customerCode: 'C0003', title: '甬兴电力金具配套螺母', amount: '50000.00', closeInDays: 45, stage: '初步接洽' },
  { owner: 'li.xs', customerCode: 'C0007', title: '鑫达阀门法兰螺栓', amount: '80000.00', closeInDays: 20, stage: '报价' },
  { owner: 'li.xs', customerCode: 'C0013', title: '阳光新能源光伏支架紧固件', amount: '200000.00', closeInDays: 15, stage: '谈判' },
  { owner: 'li.xs', customerCode: 'C0014', title: '精达纺织机械备件', amount: '60000.00', closeInDays: -5, stage: '赢单' },
  { owner: 'li.xs', customerCode: 'C0018', title: '恒宇精密非标螺钉', amount: '30000.00', closeInDays: -10, stage: '输单', reason: '价格高于竞争对手 8%' },
  { owner: 'liu.xs', customerCode: 'C0027', title: '汇丰五金机电年度紧固件', amount: '90000.00', closeInDays: 40, stage: '需求确认' },
];

export const followUps: SeedFollowUp[] = [
  { owner: 'li.xs', customerCode: 'C0002', opportunity: '港城汽车 2027 年 M8 螺栓框架采购', type: 'phone', content: '与雷工确认 2027 年 M8×30 用量约 60 万只，需上门看样后报价', nextContactInDays: 0 },
  { owner: 'li.xs', customerCode: 'C0007', opportunity: '鑫达阀门法兰螺栓', type: 'wechat', content: '已发报价单，客户比价中', nextContactInDays: 3 },
  { owner: 'liu.xs', customerCode: 'C0027', type: 'visit', content: '拜访采购部，介绍 10.9 级螺栓', nextContactInDays: 0 },
];
