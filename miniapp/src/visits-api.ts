// 拜访's endpoints for the mini-app: today's plan, the team list, a visit, check-in with the phone's
// position, photos, notes, check-out. Kept beside api.ts (same request helper) so the visit pages
// come with their calls.
import type { Page } from '../../shared/schemas/common';
import type { Position, Visit, VisitCreate, VisitListQuery, VisitPhoto, VisitUpdate } from '../../shared/schemas/visits';
import { ApiError, buildUrl, request } from './api';
import { useAuthStore } from './stores/auth';

const enc = encodeURIComponent;

export function listTodayVisits(): Promise<Visit[]> {
  return request<Visit[]>('/api/v1/visits/today', { silent: true });
}

export type VisitQuery = Pick<VisitListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'date' | 'salespersonId' | 'state'> & { warning?: boolean };

export function listVisits(query: VisitQuery, signal?: AbortSignal): Promise<Page<Visit>> {
  const { warning, ...rest } = query;
  return request<Page<Visit>>('/api/v1/visits', { query: { ...rest, warning: warning ? 'true' : undefined }, signal, silent: true });
}

export function getVisit(id: string): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}`, { silent: true });
}

export function createVisit(body: VisitCreate): Promise<Visit> {
  return request<Visit>('/api/v1/visits', { method: 'POST', body, silent: true });
}

/** sentAt is stamped now, just before sending: the server refuses a fix taken more than 60 s earlier. */
export function checkInVisit(id: string, position: Position): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}/check-in`, { method: 'POST', body: { position: { ...position, sentAt: new Date().toISOString() } }, silent: true });
}

export function updateVisit(id: string, body: VisitUpdate): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}`, { method: 'PATCH', body, silent: true });
}

export function checkOutVisit(id: string): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}/check-out`, { method: 'POST', silent: true });
}

export function cancelVisit(id: string, reason: string): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}/cancel`, { method: 'POST', body: { reason }, silent: true });
}

export function applyVisitPin(id: string): Promise<Visit> {
  return request<Visit>(`/api/v1/visits/${enc(id)}/apply-pin`, { method: 'POST', silent: true });
}

/** The (already resized) photo → POST /api/v1/visits/:id/photos (multipart field `file`); the reply carries the overlay text. */
export async function uploadVisitPhoto(id: string, file: Blob, name: string): Promise<VisitPhoto> {
  const token = useAuthStore().token;
  const form = new FormData();
  form.append('file', file, name);
  let res: Response;
  try {
    res = await fetch(buildUrl(`/api/v1/visits/${enc(id)}/photos`), { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {}, body: form });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络异常，请检查网络连接');
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `上传失败（${res.status}）`);
  return body as VisitPhoto;
}
