// Error codes of the API and the HTTP status each maps to: the one place that mapping lives.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE: 409,
  IN_USE: 409,
  VERSION_CONFLICT: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  BUSY: 503,
  DB_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** dotted path of the field, e.g. "body.contacts.0.mobile" or "row 12: code" */
  field: string;
  /** the field in words, e.g. "联系人 第 1 项 手机号" (shared/field-labels.ts) */
  label?: string;
  /** what is wrong, without the field's name, e.g. "必须大于 0" */
  message: string;
  /** the spreadsheet row (1-based, header is row 1) for import errors */
  row?: number;
}
