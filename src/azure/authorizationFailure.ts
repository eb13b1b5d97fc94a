/**
 * What ARM's 403s say is missing. AuthorizationFailed: "The client '…' with object id '…' does not have
 * authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. …";
 * LinkedAuthorizationFailed: "… has permission to perform action '…' on scope '…'; however, it does not have
 * permission to perform action(s) '{action}' on the linked scope(s) '{scope}' …" (the linked one is missing).
 * Only the code is a contract; the wording is parsed best-effort and anything else gives undefined.
 */
export interface MissingPermission {
  action: string;
  scope: string;
}

const OVER_SCOPE = /perform action '([^']+)' over scope '([^']+)'/i;
const LINKED_SCOPE = /does not have permission to perform action(?:\(s\))? '([^']+)' on the linked scope(?:\(s\))? '([^',]+)/i;

export function missingPermissionOf(armCode: string | undefined, message: string | undefined): MissingPermission | undefined {
  if (!message) return undefined;
  const code = armCode?.toLowerCase();
  const found = code === 'linkedauthorizationfailed' ? LINKED_SCOPE.exec(message) : code === 'authorizationfailed' ? OVER_SCOPE.exec(message) : null;
  const action = found?.[1]?.trim();
  const scope = found?.[2]?.trim();
  return action && scope ? { action, scope } : undefined;
}
