// CRM endpoints beside customers: 线索, 商机 (stages, pipeline), 跟进记录 and the customer 360.
import type { Page } from '../../shared/schemas/common';
import type {
  Customer360, FollowUp, FollowUpCreate, FollowUpListQuery, Lead, LeadConvert, LeadCreate, LeadListQuery, LeadUpdate,
  Opportunity, OpportunityCreate, OpportunityDetail, OpportunityListQuery, OpportunityStage, Pipeline,
} from '../../shared/schemas/crm-pipeline';
import { request } from './api';

const enc = encodeURIComponent;

export type LeadQuery = Pick<LeadListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'status'>;
export function listLeads(query: LeadQuery, signal?: AbortSignal): Promise<Page<Lead>> {
  return request<Page<Lead>>('/api/v1/leads', { query: { ...query }, signal, silent: true });
}
export function getLead(id: string): Promise<Lead> {
  return request<Lead>(`/api/v1/leads/${enc(id)}`, { silent: true });
}
export function createLead(body: Omit<LeadCreate, 'source'> & { source: string }): Promise<Lead> {
  return request<Lead>('/api/v1/leads', { method: 'POST', body, silent: true });
}
export function updateLead(id: string, body: Partial<Omit<LeadUpdate, 'source' | 'status'>> & { version: number; source?: string; status?: string }): Promise<Lead> {
  return request<Lead>(`/api/v1/leads/${enc(id)}`, { method: 'PATCH', body, silent: true });
}
export function convertLead(id: string, body: Omit<LeadConvert, 'createOpportunity'> & { createOpportunity?: boolean }): Promise<{ lead: Lead; customer: { id: string; code: string; name: string }; opportunity: Opportunity | null }> {
  return request(`/api/v1/leads/${enc(id)}/convert`, { method: 'POST', body, silent: true });
}

export function listOpportunityStages(): Promise<OpportunityStage[]> {
  return request<OpportunityStage[]>('/api/v1/opportunity-stages', { silent: true });
}
export type OpportunityQuery = Pick<OpportunityListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'kind' | 'stageId' | 'customerId'>;
export function listOpportunities(query: OpportunityQuery, signal?: AbortSignal): Promise<Page<Opportunity>> {
  return request<Page<Opportunity>>('/api/v1/opportunities', { query: { ...query }, signal, silent: true });
}
export function getOpportunity(id: string): Promise<OpportunityDetail> {
  return request<OpportunityDetail>(`/api/v1/opportunities/${enc(id)}`, { silent: true });
}
export function createOpportunity(body: OpportunityCreate): Promise<Opportunity> {
  return request<Opportunity>('/api/v1/opportunities', { method: 'POST', body, silent: true });
}
export function moveOpportunityStage(id: string, body: { stageId: string; reason?: string | null; version: number }): Promise<OpportunityDetail> {
  return request<OpportunityDetail>(`/api/v1/opportunities/${enc(id)}/stage`, { method: 'POST', body, silent: true });
}
export function getPipeline(): Promise<Pipeline> {
  return request<Pipeline>('/api/v1/opportunities/pipeline', { silent: true });
}

export type FollowUpQuery = Pick<FollowUpListQuery, 'page' | 'pageSize' | 'q' | 'sort' | 'customerId' | 'leadId' | 'opportunityId'>;
export function listFollowUps(query: FollowUpQuery, signal?: AbortSignal): Promise<Page<FollowUp>> {
  return request<Page<FollowUp>>('/api/v1/follow-ups', { query: { ...query }, signal, silent: true });
}
export function createFollowUp(body: Omit<FollowUpCreate, 'type'> & { type: string }): Promise<FollowUp> {
  return request<FollowUp>('/api/v1/follow-ups', { method: 'POST', body, silent: true });
}

export function getCustomer360(id: string): Promise<Customer360> {
  return request<Customer360>(`/api/v1/customers/${enc(id)}/360`, { silent: true });
}
