import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  ItemCategory,
  ItemCategoryCreate,
  ItemCategoryListQuery,
  ItemCategoryPage,
  ItemCategoryTree,
  ItemCategoryUpdate,
} from '../../../../shared/schemas/inventory.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { categoryTree, createCategory, deleteCategory, getCategory, listCategories, updateCategory } from './service.ts';

export function itemCategoryRoutes(api: ApiRouter): void {
  const tag = '物料分类';
  api.route({
    method: 'get', path: '/item-categories', tag, summary: '物料分类列表（平铺，含 parentId）', permission: 'item:read',
    query: ItemCategoryListQuery, response: ItemCategoryPage,
    handler: ({ ctx, query }) => listCategories(ctx, query),
  });
  // declared before /:id so "tree" is not read as an id
  api.route({
    method: 'get', path: '/item-categories/tree', tag, summary: '物料分类树（嵌套 children）', permission: 'item:read',
    response: ItemCategoryTree,
    handler: ({ ctx }) => categoryTree(ctx),
  });
  api.route({
    method: 'get', path: '/item-categories/:id', tag, summary: '物料分类详情', permission: 'item:read',
    params: IdParams, response: ItemCategory,
    handler: ({ ctx, params }) => getCategory(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/item-categories', tag, summary: '新增物料分类', permission: 'item:create', status: 201,
    body: ItemCategoryCreate, response: ItemCategory,
    handler: ({ ctx, body }) => createCategory(ctx, body),
  });
  api.route({
    method: 'patch', path: '/item-categories/:id', tag, summary: '修改物料分类（可移动到其他上级，不能形成循环）', permission: 'item:update',
    params: IdParams, body: ItemCategoryUpdate, response: ItemCategory,
    handler: ({ ctx, params, body }) => updateCategory(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/item-categories/:id', tag, summary: '删除物料分类（有下级或物料时拒绝）', permission: 'item:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteCategory(ctx, params.id),
  });
}
