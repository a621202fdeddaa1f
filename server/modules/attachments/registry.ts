// Which documents can carry attachments, and who may see or add to them. Each document type
// registers its own check (the attachments module imports no document module): an attachment is
// visible exactly when its document is, and may be added when the document may be changed.
import type { Tx } from '../../db/transaction.ts';
import type { Permission } from '../../../shared/permissions.ts';
import { can, type Actor } from '../../platform/actor.ts';

/** none: the document is missing or outside the actor's scope (404); read: visible only (adding is 403); attach: visible and changeable. */
export type AttachableAccess = 'none' | 'read' | 'attach';

export interface AttachableDocument {
  /** the document's name in messages: 客户, 销售订单 … */
  label: string;
  /** only photos may be attached (拜访照片): anything else is refused like an unknown type */
  imagesOnly?: boolean;
  /** what the actor may do with this document's attachments (the id is a valid UUID) */
  access(tx: Tx, actor: Actor, id: string): Promise<AttachableAccess>;
}

const registry = new Map<string, AttachableDocument>();

/** Called by a document module when its routes are mounted; registering again replaces. */
export function registerAttachable(entity: string, document: AttachableDocument): void {
  registry.set(entity, document);
}

export function attachableOf(entity: string): AttachableDocument | undefined {
  return registry.get(entity);
}

export function attachableEntities(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The usual rule: no read permission or outside the data scope → none; visible → read; and with
 * the permission to change the document → attach.
 */
export async function accessByPermission(
  actor: Actor,
  permissions: { read: Permission; change: Permission },
  visible: () => Promise<boolean>,
): Promise<AttachableAccess> {
  if (!can(actor, permissions.read) || !(await visible())) return 'none';
  return can(actor, permissions.change) ? 'attach' : 'read';
}
