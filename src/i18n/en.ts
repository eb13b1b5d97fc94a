/** English catalog: the reference language. Placeholders are {name}; every other catalog has the same keys and placeholders. */
export const en = {
  'app.name': 'Lab Gallery Bot',
  'error.apology': 'Sorry, something went wrong on my side. If it keeps happening, give this reference to your admin: {correlationId}',
  'error.invokeFailed': 'That action could not be completed. Reference: {correlationId}',

  'router.unknown': 'I don\'t know "{word}". Type **help** to see what I can do.',
  'router.notAllowed': 'Only a lab {role} can run **{command}**. Your role here is {yourRole}.',
  'router.badUsage': 'Usage: {usage}',

  'role.admin': 'admin',
  'role.teacher': 'teacher',
  'role.member': 'member',

  'help.title': 'Lab Gallery Bot',
  'help.intro': 'Manage the Azure Compute Gallery of your lab plan or lab account. Commands you can run here:',
  'help.roleLine': 'Your role here: {role}',
  'help.footer': 'In a channel, @mention me first.',
  'help.summary': 'Show the commands you can run',
  'help.usage': 'help',

  'status.summary': "Show this conversation's lab host and its gallery",
  'status.usage': 'status',
  'status.title': 'Status',
  'status.unbound': 'This conversation is not bound to a lab host yet. An admin can run **bind <lab plan or lab account>**.',
  'status.host': 'Lab host',
  'status.kind': 'Kind',
  'status.region': 'Region',
  'status.gallery': 'Attached gallery',
  'status.noGallery': 'none',
  'status.images': 'Images',
  'status.imageCounts': '{enabled} enabled, {disabled} disabled',
  'status.role': 'Your role',
  'status.boundBy': 'Bound',
  'status.boundAt': '{when}',
  'status.hostUnreachable': 'The lab host could not be read: {reason}',
  'kind.labPlan': 'lab plan',
  'kind.labAccount': 'lab account',

  'bind.summary': 'Bind this conversation to a lab plan or lab account',
  'bind.usage': 'bind <lab host name or ARM id>',
  'bind.missing': 'Say which lab host to bind: **bind <lab host name or ARM id>**.',
  'bind.invalidId': '"{value}" is not the ARM id of a lab plan or lab account. Expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.LabServices/labPlans/<name> (or labAccounts/<name>).',
  'bind.unknownHost': 'No lab plan or lab account named "{value}" was found in the subscription.',
  'bind.ambiguous': 'Several lab hosts are named "{value}". Use the ARM id instead.',
  'bind.done': 'This conversation is now bound to **{host}**.',
  'bind.unchanged': 'This conversation is already bound to **{host}**.',
  'bind.notAdminThere': 'You need to be an admin of **{host}** to bind it.',

  'unbind.summary': 'Remove the lab host binding of this conversation',
  'unbind.usage': 'unbind',
  'unbind.done': 'This conversation is no longer bound to **{host}**.',
  'unbind.nothing': 'This conversation is not bound to a lab host; nothing to do.',

  'azure.notAuthorized': 'Azure refused: the bot is not authorized to do that on {target}.',
  'azure.notFound': 'Azure could not find {target}.',
  'azure.throttled': 'Azure is throttling requests right now. Try again in a minute.',
  'azure.conflict': 'Azure reported a conflict on {target}: someone else may be changing it. Try again shortly.',
  'azure.badRequest': 'Azure rejected the request for {target}.',
  'azure.unavailable': 'Azure is not reachable right now. Try again later.',
  'azure.operationFailed': 'The Azure operation on {target} failed.',
} as const;

export type MessageKey = keyof typeof en;
