// 组织与权限：部门、用户、角色、平台身份绑定
import { ALL_PERMISSIONS } from '../permissions.ts';
import { CHAT_PLATFORMS, DATA_SCOPES } from '../enums.ts';
import { BooleanQuery, Code, Id, Mobile, Name, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';

const Ref = z.object({ id: z.string(), name: z.string() });

// ---------- 部门 ----------

const departmentFields = {
  code: Code,
  name: Name(60),
  parentId: Id.nullish().openapi({ description: '上级部门；为空表示顶级部门' }),
  sort: z.number({ message: '排序必须是整数' }).int('排序必须是整数').min(0, '排序不能为负').max(9999, '排序最大 9999'),
};

export const DepartmentCreate = z
  .object({ ...departmentFields, sort: departmentFields.sort.default(0) })
  .openapi('DepartmentCreate');
export const DepartmentUpdate = z
  .object(departmentFields)
  .partial()
  .extend({ version: Version })
  .openapi('DepartmentUpdate', { description: '只需提交要修改的字段；改 parentId 即移动部门（不能移到自己的下级之下）' });

export const Department = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    parent: Ref.nullable(),
    sort: z.number(),
    childCount: z.number().int(),
    userCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Department');

export interface DepartmentNode {
  id: string;
  code: string;
  name: string;
  sort: number;
  userCount: number;
  children: DepartmentNode[];
}
export const DepartmentNode: z.ZodType<DepartmentNode> = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    sort: z.number(),
    userCount: z.number().int(),
    get children() {
      return z.array(DepartmentNode);
    },
  })
  .openapi('DepartmentNode');
export const DepartmentTree = z.object({ items: z.array(DepartmentNode) }).openapi('DepartmentTree');

export const DepartmentListQuery = pageQuery(['code', 'name', 'sort', 'createdAt']).extend({
  parentId: Id.optional().openapi({ description: '只列出此部门的直接下级' }),
});
export const DepartmentPage = pageOf(Department).openapi('DepartmentPage');

// ---------- 用户 ----------

export const Username = z
  .string({ message: '用户名必须是文本' })
  .trim()
  .min(3, '用户名至少 3 个字符')
  .max(50, '用户名最长 50 个字符')
  .regex(/^[A-Za-z0-9._]+$/, '用户名只能包含字母、数字、点和下划线');
export const Password = z
  .string({ message: '密码必须是文本' })
  .min(8, '密码至少 8 位')
  .max(100, '密码最长 100 位')
  .regex(/[A-Za-z]/, '密码必须包含字母')
  .regex(/\d/, '密码必须包含数字');
export const EmployeeNo = z
  .string({ message: '工号必须是文本' })
  .trim()
  .min(1, '工号不能为空')
  .max(32, '工号最长 32 个字符')
  .regex(/^[A-Za-z0-9._\-]+$/, '工号只能包含字母、数字、点、下划线和短横线');

const userFields = {
  username: Username,
  name: Name(50),
  employeeNo: EmployeeNo,
  mobile: Mobile.nullish(),
  email: z.email('邮箱格式不正确').max(100, '邮箱最长 100 个字符').nullish(),
  departmentId: Id.nullish(),
  managerId: Id.nullish().openapi({ description: '直属上级（用户）' }),
  active: z.boolean({ message: '必须是 true 或 false' }),
  roleIds: z.array(Id, { message: '应为角色 ID 的列表' }).min(1, '至少分配一个角色').max(20, '最多 20 个角色'),
};

export const UserCreate = z
  .object({ ...userFields, active: userFields.active.default(true), password: Password })
  .openapi('UserCreate');
export const UserUpdate = z
  .object(userFields)
  .partial()
  .extend({ version: Version })
  .openapi('UserUpdate', { description: '只需提交要修改的字段；roleIds 提交时整体替换；密码请用 POST /users/{id}/password 重置' });
export const PasswordReset = z.object({ password: Password }).openapi('PasswordReset');

export const IdentityCreate = z
  .object({
    platform: z.enum(CHAT_PLATFORMS, { message: `平台只能是 ${CHAT_PLATFORMS.join('、')}` }),
    externalUserId: z.string({ message: '平台用户 ID 必须是文本' }).trim().min(1, '平台用户 ID 不能为空').max(100, '最长 100 个字符'),
    unionId: z.string().trim().min(1).max(100, '最长 100 个字符').nullish(),
  })
  .openapi('IdentityCreate', { description: '飞书 open_id / 企业微信 userid / 钉钉 userId；unionId 可选' });
export const IdentityParams = z.object({ id: Id, identityId: Id });

export const PlatformIdentity = z
  .object({ id: z.string(), platform: z.enum(CHAT_PLATFORMS), externalUserId: z.string(), unionId: z.string().nullable() })
  .openapi('PlatformIdentity');

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    employeeNo: z.string(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    department: Ref.nullable(),
    manager: Ref.nullable(),
    active: z.boolean(),
    roles: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
    identities: z.array(PlatformIdentity),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('User');

export const UserListQuery = pageQuery(['username', 'name', 'employeeNo', 'createdAt']).extend({
  departmentId: Id.optional(),
  roleId: Id.optional(),
  active: BooleanQuery.optional(),
});
export const UserPage = pageOf(User).openapi('UserPage');

/** 通讯录: what any signed-in colleague may see of another (no phone, e-mail, roles or bindings). */
export const Colleague = z
  .object({ id: z.string(), username: z.string(), name: z.string(), department: Ref.nullable() })
  .openapi('Colleague');
export const ColleagueListQuery = pageQuery(['name', 'username']).extend({ departmentId: Id.optional() });
export const ColleaguePage = pageOf(Colleague).openapi('ColleaguePage');

// ---------- 角色 ----------

const PermissionCode = z.enum(['*', ...ALL_PERMISSIONS] as [string, ...string[]], {
  message: '权限不存在（应为 资源:操作，如 customer:read，或 * 表示全部）',
});
/** Deduplicated, in catalogue order; any '*' means every permission. */
const Permissions = z
  .array(PermissionCode, { message: '应为权限的列表' })
  .max(ALL_PERMISSIONS.length + 1, '权限过多')
  .transform((list) => (list.includes('*') ? ['*'] : ALL_PERMISSIONS.filter((p) => list.includes(p))));

const roleFields = {
  code: Code,
  name: Name(50),
  permissions: Permissions,
  dataScope: z.enum(DATA_SCOPES, { message: `数据范围只能是 ${DATA_SCOPES.join('、')}` }),
};
export const RoleCreate = z
  .object({ ...roleFields, dataScope: roleFields.dataScope.default('own') })
  .openapi('RoleCreate');
export const RoleUpdate = z
  .object(roleFields)
  .partial()
  .extend({ version: Version })
  .openapi('RoleUpdate', { description: '只需提交要修改的字段；permissions 提交时整体替换' });

export const Role = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    permissions: z.array(z.string()),
    dataScope: z.enum(DATA_SCOPES),
    dataScopeLabel: z.string(),
    userCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Role');

export const RoleListQuery = pageQuery(['code', 'name', 'createdAt']).extend({
  dataScope: z.enum(DATA_SCOPES, { message: `数据范围只能是 ${DATA_SCOPES.join('、')}` }).optional(),
});
export const RolePage = pageOf(Role).openapi('RolePage');

export const PermissionCatalogue = z
  .object({
    items: z.array(
      z.object({ permission: z.string(), label: z.string(), resource: z.string(), resourceLabel: z.string(), action: z.string(), actionLabel: z.string() }),
    ),
    dataScopes: z.array(z.object({ value: z.enum(DATA_SCOPES), label: z.string() })),
  })
  .openapi('PermissionCatalogue');

export type DepartmentCreate = z.infer<typeof DepartmentCreate>;
export type DepartmentUpdate = z.infer<typeof DepartmentUpdate>;
export type Department = z.infer<typeof Department>;
export type DepartmentListQuery = z.infer<typeof DepartmentListQuery>;
export type UserCreate = z.infer<typeof UserCreate>;
export type UserUpdate = z.infer<typeof UserUpdate>;
export type User = z.infer<typeof User>;
export type UserListQuery = z.infer<typeof UserListQuery>;
export type Colleague = z.infer<typeof Colleague>;
export type ColleagueListQuery = z.infer<typeof ColleagueListQuery>;
export type IdentityCreate = z.infer<typeof IdentityCreate>;
export type PlatformIdentity = z.infer<typeof PlatformIdentity>;
export type RoleCreate = z.infer<typeof RoleCreate>;
export type RoleUpdate = z.infer<typeof RoleUpdate>;
export type Role = z.infer<typeof Role>;
export type RoleListQuery = z.infer<typeof RoleListQuery>;
export type PermissionCatalogue = z.infer<typeof PermissionCatalogue>;
