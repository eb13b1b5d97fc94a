/**
 * commands/: what users type — one spec per command (id, aliases, parse, role, handle) in one registry, and the
 * dispatcher that matches the first word. Handlers return Replies; they never send.
 */
import { auditCommand } from './audit';
import { bindCommand } from './bind';
import { attachCommand, createCommand, detachCommand, replicateCommand } from './galleryCommands';
import { doctorCommand } from './doctor';
import { createHelpCommand } from './help';
import { disableCommand, enableCommand } from './imageToggleCommands';
import { imagesCommand } from './imagesCommand';
import { inventoryCommand } from './inventory';
import { CommandRegistry } from './registry';
import type { CommandServices } from '../interaction';
import { statusCommand } from './status';
import { unbindCommand } from './unbind';
import { helloCommand } from './welcome';

export { welcomeReply } from './welcome';
export { helpOrder } from './help';

/** Every command, in the order help lists them. */
export function createCommandRegistry(): CommandRegistry<CommandServices> {
  return new CommandRegistry<CommandServices>([createHelpCommand(), statusCommand, imagesCommand, attachCommand, createCommand, detachCommand, replicateCommand, enableCommand, disableCommand, bindCommand, unbindCommand, auditCommand, inventoryCommand, doctorCommand, helloCommand]);
}
