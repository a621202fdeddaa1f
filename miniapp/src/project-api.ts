// 项目's endpoints for the mini-app: the list (search, status), create, edit, close, reopen, and the
// 项目收支 report.
import type { Page } from '../../shared/schemas/common';
import type { Project, ProjectCreate, ProjectIncome, ProjectListQuery, ProjectOption, ProjectUpdate } from '../../shared/schemas/projects';
import { request } from './api';

export type ProjectSort = NonNullable<ProjectListQuery['sort']>;

export function listProjects(query: { page: number; pageSize: number; q?: string; sort?: ProjectSort; status?: 'active' | 'closed' }, signal?: AbortSignal): Promise<Page<Project>> {
  return request<Page<Project>>('/api/v1/projects', { query: { ...query }, signal, silent: true });
}

export function createProject(body: ProjectCreate): Promise<Project> {
  return request<Project>('/api/v1/projects', { method: 'POST', body, silent: true });
}

export function updateProject(id: string, body: ProjectUpdate): Promise<Project> {
  return request<Project>(`/api/v1/projects/${encodeURIComponent(id)}`, { method: 'PATCH', body, silent: true });
}

/**
 * 进行中 projects whose code or name contains the keyword: the picker of an expense line. The light
 * options list, open to every claimant (the full list needs project:read).
 */
export function searchOpenProjects(q: string, signal?: AbortSignal): Promise<Page<ProjectOption>> {
  return request<Page<ProjectOption>>('/api/v1/projects/options', { query: { page: 1, pageSize: 20, q: q || undefined }, signal, silent: true });
}

export function reopenProject(id: string, version: number): Promise<Project> {
  return request<Project>(`/api/v1/projects/${encodeURIComponent(id)}/reopen`, { method: 'POST', body: { version }, silent: true });
}

export function closeProject(id: string, version: number, endDate?: string): Promise<Project> {
  return request<Project>(`/api/v1/projects/${encodeURIComponent(id)}/close`, { method: 'POST', body: { version, ...(endDate ? { endDate } : {}) }, silent: true });
}

export function getProjectIncome(period: string): Promise<ProjectIncome> {
  return request<ProjectIncome>('/api/v1/project-income', { query: { period }, silent: true });
}
