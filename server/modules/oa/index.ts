// OA: expense claims (费用报销) and leave requests (请假), and the work calendar leave is counted on.
// What others use of it today is its approval plumbing (oa/support.ts), which moves into the approvals
// engine's index; so nothing is exported yet.
export {};
