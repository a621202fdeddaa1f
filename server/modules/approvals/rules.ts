// 审批规则: pure functions, no I/O — which steps a document's facts call for, who approves a
// step (role, manager chain, department head, named users), automatic de-duplication, the
// admin fallback, how a step ends (或签 / 会签), reminders and escalation, and the wording.
import { Decimal } from 'decimal.js';
import { formatYuan } from '../../../shared/money.ts';
import { TIME_ZONE } from '../../../shared/time.ts';
import {
  APPROVAL_STATE_LABELS, CONDITION_FIELD_LABELS, EXPENSE_CATEGORY_LABELS,
  type ApprovalStateValue, type ApproverRule, type DocumentFacts, type FlowStep, type StepCondition, type StepMode,
} from '../../../shared/schemas/approvals.ts';

// ---------- 折扣 ----------

/** 订单折扣 = 1 − Σ net line amounts / Σ list price × quantity, 4 decimals; 0 without a list total, never negative. */
export function orderDiscount(listTotal: Decimal.Value, netTotal: Decimal.Value): string {
  const list = new Decimal(listTotal);
  if (list.lte(0)) return '0.0000';
  const d = new Decimal(1).minus(new Decimal(netTotal).div(list)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  return (d.isNegative() ? new Decimal(0) : d).toFixed(4);
}

// ---------- 条件 ----------

const asList = <T>(v: T | readonly T[]): T[] => (Array.isArray(v) ? [...(v as readonly T[])] : [v as T]);

function numeric(v: unknown): Decimal | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return new Decimal(v.trim());
  return null;
}

/** Whether the document's facts meet the condition; a fact the document does not have never does. */
export function conditionHolds(c: StepCondition, facts: DocumentFacts): boolean {
  const fact = facts[c.field];
  if (fact === undefined || fact === null) return false;
  if (c.field === 'expenseCategory') {
    const have = asList(fact).map(String);
    const want = asList(c.value).map(String);
    return have.some((h) => want.includes(h));
  }
  const a = numeric(fact);
  const b = numeric(c.value);
  if (!a || !b) return false;
  switch (c.op) {
    case '>': return a.gt(b);
    case '>=': return a.gte(b);
    case '<': return a.lt(b);
    case '<=': return a.lte(b);
    case '=': return a.eq(b);
    default: return false;
  }
}

/** Indices of the flow's steps that apply to these facts (a step without a condition always applies). */
export function applicableSteps(steps: readonly FlowStep[], facts: DocumentFacts): number[] {
  return steps.flatMap((s, i) => (!s.condition || conditionHolds(s.condition, facts) ? [i] : []));
}

const OP_WORDS: Record<StepCondition['op'], string> = { '>': '超过', '>=': '达到', '<': '低于', '<=': '不超过', '=': '为', in: '属于' };

function percent(v: Decimal, fixed: boolean): string {
  const p = v.mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  return `${fixed ? p.toFixed(1) : p.toString()}%`;
}

/** A fact or a threshold as people read it: 15.0% / 10%, ¥50,000.00, 3 天, 差旅、餐饮. */
export function factText(field: StepCondition['field'], value: unknown, threshold = false): string {
  if (field === 'expenseCategory') {
    return asList(value as string | readonly string[]).map((v) => EXPENSE_CATEGORY_LABELS[v as keyof typeof EXPENSE_CATEGORY_LABELS] ?? String(v)).join('、');
  }
  const n = numeric(value);
  if (!n) return String(value);
  if (field === 'discountRate') return percent(n, !threshold);
  if (field === 'amount') return formatYuan(n);
  return `${n.toString()} 天`;
}

/** "折扣 15.0% 超过 10%，需销售经理审批；折扣 25.0% 超过 20%，需总经理审批" — why the approval runs. */
export function ruleText(steps: readonly FlowStep[], plan: readonly number[], facts: DocumentFacts): string {
  return plan
    .map((i) => steps[i])
    .filter((s): s is FlowStep => !!s)
    .map((s) => {
      const c = s.condition;
      if (!c) return `需${s.name}审批`;
      return `${CONDITION_FIELD_LABELS[c.field]} ${factText(c.field, facts[c.field])} ${OP_WORDS[c.op]} ${factText(c.field, c.value, true)}，需${s.name}审批`;
    })
    .join('；');
}

// ---------- 审批人 ----------

export interface OrgUser {
  id: string;
  name: string;
  managerId: string | null;
  departmentId: string | null;
  active: boolean;
}
export interface OrgDepartment {
  id: string;
  parentId: string | null;
  headId: string | null;
}
/** The part of the organisation approver rules read. */
export interface OrgSnapshot {
  users: ReadonlyMap<string, OrgUser>;
  departments: ReadonlyMap<string, OrgDepartment>;
  /** role code → user ids */
  roleMembers: ReadonlyMap<string, readonly string[]>;
}

const isActive = (org: OrgSnapshot, id: string | null | undefined): id is string => !!id && org.users.get(id)?.active === true;

/** The manager `level` steps up the applicant's chain (1 = direct manager); null when the chain is shorter. */
export function managerAt(org: OrgSnapshot, applicantId: string, level: number): string | null {
  let current: string | null = applicantId;
  const seen = new Set<string>();
  for (let i = 0; i < level; i++) {
    if (!current || seen.has(current)) return null;
    seen.add(current);
    current = org.users.get(current)?.managerId ?? null;
  }
  return current && current !== applicantId ? current : null;
}

/** The head of the applicant's department, else of the nearest department above that has one (never the applicant). */
export function departmentHeadOf(org: OrgSnapshot, applicantId: string): string | null {
  let dept = org.users.get(applicantId)?.departmentId ?? null;
  const seen = new Set<string>();
  while (dept && !seen.has(dept)) {
    seen.add(dept);
    const d = org.departments.get(dept);
    if (!d) return null;
    if (d.headId && d.headId !== applicantId && isActive(org, d.headId)) return d.headId;
    dept = d.parentId;
  }
  return null;
}

/** Who a rule names for this applicant (active users only, no repeats); may be empty. */
export function resolveApprovers(rule: ApproverRule, org: OrgSnapshot, applicantId: string): string[] {
  let ids: (string | null)[];
  switch (rule.kind) {
    case 'role': ids = [...(org.roleMembers.get(rule.roleCode) ?? [])]; break;
    case 'manager': ids = [managerAt(org, applicantId, rule.level)]; break;
    case 'departmentHead': ids = [departmentHeadOf(org, applicantId)]; break;
    case 'users': ids = rule.userIds; break;
  }
  return [...new Set(ids.filter((id): id is string => isActive(org, id)))];
}

/** 兜底: the company's administrators (role code 'admin'). */
export function fallbackApprovers(org: OrgSnapshot): string[] {
  return [...new Set((org.roleMembers.get('admin') ?? []).filter((id) => isActive(org, id)))];
}

export interface StepApprovers {
  /** who gets a task */
  approverIds: string[];
  /**
   * rule: the step's own rule; fallback: the rule named nobody, the admin stands in; recusal: the
   * rule named only the applicant, their superior stands in (申请人回避)
   */
  origin: 'rule' | 'fallback' | 'recusal';
  /** 自动去重: left out because they applied, or already agreed at an earlier step */
  skipped: { userId: string; reason: 'applicant' | 'agreedEarlier' }[];
}

/**
 * 申请人回避: who approves in place of an applicant who is the only person a step names — the
 * first active manager up their chain, else the company's 总经理 (role code 'boss'); never the
 * system administrator, who is no one's business superior. Null at the top of the chain.
 */
export function superiorOf(org: OrgSnapshot, applicantId: string): string | null {
  for (let level = 1; level <= org.users.size; level++) {
    const m = managerAt(org, applicantId, level);
    if (!m) break;
    if (isActive(org, m)) return m;
  }
  return (org.roleMembers.get('boss') ?? []).find((id) => id !== applicantId && isActive(org, id)) ?? null;
}

/**
 * The approvers of a step: the rule's people (or the admins when it names nobody), less the
 * applicant and anyone who already agreed at an earlier step. Empty approverIds = skip the step.
 * With `recusal` (the company setting, on by default) a step that named only the applicant goes
 * to the applicant's superior instead of being skipped, so nobody approves their own document.
 */
export function stepApprovers(
  rule: ApproverRule,
  org: OrgSnapshot,
  applicantId: string,
  agreedEarlier: ReadonlySet<string>,
  opts: { recusal: boolean } = { recusal: true },
): StepApprovers {
  let candidates = resolveApprovers(rule, org, applicantId);
  let origin: StepApprovers['origin'] = 'rule';
  if (!candidates.length) {
    candidates = fallbackApprovers(org);
    origin = 'fallback';
  }
  const skipped: StepApprovers['skipped'] = [];
  const approverIds = candidates.filter((id) => {
    if (id === applicantId) skipped.push({ userId: id, reason: 'applicant' });
    else if (agreedEarlier.has(id)) skipped.push({ userId: id, reason: 'agreedEarlier' });
    else return true;
    return false;
  });
  // Someone other than the applicant already agreed (an agreedEarlier skip): the step is covered.
  const onlyTheApplicant = !approverIds.length && skipped.length > 0 && skipped.every((s) => s.reason === 'applicant');
  if (opts.recusal && onlyTheApplicant) {
    const superior = superiorOf(org, applicantId);
    if (superior && !agreedEarlier.has(superior)) return { approverIds: [superior], origin: 'recusal', skipped };
  }
  return { approverIds, origin, skipped };
}

// ---------- 节点结果 ----------

export interface TaskState {
  state: 'pending' | 'agreed' | 'rejected' | 'transferred' | 'skipped' | 'cancelled';
}

/**
 * How a step stands after a decision (tasks already updated): one rejection ends it; 或签 ends
 * on the first agreement; 会签 when nobody is left pending. An escalated superior's agreement
 * decides the step for the people below them.
 */
export function stepOutcome(mode: StepMode, tasks: readonly TaskState[], decided: { decision: 'agree' | 'reject'; origin: string }): 'agreed' | 'rejected' | 'open' {
  if (decided.decision === 'reject') return 'rejected';
  if (mode === 'anyOf' || decided.origin === 'escalation') return 'agreed';
  return tasks.some((t) => t.state === 'pending') ? 'open' : 'agreed';
}

// ---------- 催办与升级 ----------

const HOUR = 3_600_000;

/** Whether a step that has waited since activatedAt is due a reminder (once) or an escalation (every M hours). */
export function timersDue(
  step: { activatedAt: Date | null; remindedAt: Date | null; escalatedAt: Date | null },
  flow: { remindAfterHours: number | null; escalateAfterHours: number | null },
  now: Date,
): { remind: boolean; escalate: boolean } {
  if (!step.activatedAt) return { remind: false, escalate: false };
  const since = (t: Date) => now.getTime() - t.getTime();
  return {
    remind: !!flow.remindAfterHours && !step.remindedAt && since(step.activatedAt) >= flow.remindAfterHours * HOUR,
    escalate: !!flow.escalateAfterHours && since(step.escalatedAt ?? step.activatedAt) >= flow.escalateAfterHours * HOUR,
  };
}

// ---------- 文案 ----------

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

/** hh:mm in Asia/Shanghai */
export function shanghaiClock(at: Date): string {
  return clock.format(at);
}

/** 409 wording for a click on something already handled: "已由 张经理 于 15:04 处理（已同意）". */
export function handledMessage(by: string, at: Date, state?: ApprovalStateValue): string {
  return `已由 ${by} 于 ${shanghaiClock(at)} 处理${state && state !== 'pending' ? `（${APPROVAL_STATE_LABELS[state]}）` : ''}`;
}
