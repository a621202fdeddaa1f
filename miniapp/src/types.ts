// Shapes of the API replies the mini-app uses (see /api/v1 OpenAPI docs).

export type DataScope = 'own' | 'department' | 'all';

export interface User {
  id: string;
  username: string;
  name: string;
  companyId: string;
  companyName: string;
  departmentName: string | null;
  roles: string[];
  permissions: string[];
  dataScope: DataScope | string;
}

export interface LoginResponse {
  token: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface Contact {
  id: string;
  name: string;
  title: string | null;
  mobile: string | null;
  email: string | null;
  isPrimary: boolean;
}

export interface Customer {
  id: string;
  code: string;
  name: string;
  taxNo: string | null;
  industry: string | null;
  level: string | null;
  /** decimal as string, e.g. "500000.00" */
  creditLimit: string;
  paymentTermDays: number;
  currencyCode: string;
  owner: UserRef | null;
  phone: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  /** GCJ-02, decimal strings */
  latitude: string | null;
  longitude: string | null;
  remark: string | null;
  contacts: Contact[];
  version: number;
}

/** A row of GET /api/v1/customers (the list may omit the detail-only fields). */
export type CustomerSummary = Pick<Customer, 'id' | 'code' | 'name'> &
  Partial<Pick<Customer, 'level' | 'city' | 'province' | 'phone' | 'industry'>> & {
    owner?: UserRef | null;
  };

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}
