import type { MessageKey } from './en';

/** French catalog. The type makes a missing key a compile error; test/i18n checks placeholders too. */
export const fr: Readonly<Record<MessageKey, string>> = {
  'app.name': 'Lab Gallery Bot',
  'error.apology': "Désolé, un problème est survenu de mon côté. Si cela se reproduit, donnez cette référence à votre administrateur : {correlationId}",
  'error.invokeFailed': "Cette action n'a pas pu aboutir. Référence : {correlationId}",

  'router.unknown': 'Je ne connais pas « {word} ». Tapez **help** pour voir ce que je sais faire.',
  'router.notAllowed': 'Seul un {role} du lab peut exécuter **{command}**. Votre rôle ici : {yourRole}.',
  'router.badUsage': 'Syntaxe : {usage}',

  'role.admin': 'administrateur',
  'role.teacher': 'enseignant',
  'role.member': 'membre',

  'help.title': 'Lab Gallery Bot',
  'help.intro': "Gérez la galerie Azure Compute Gallery de votre plan de labo ou compte de labo. Commandes disponibles ici :",
  'help.roleLine': 'Votre rôle ici : {role}',
  'help.footer': "Dans un canal, mentionnez-moi d'abord avec @.",
  'help.summary': 'Afficher les commandes que vous pouvez exécuter',
  'help.usage': 'help',

  'status.summary': "Afficher l'hôte de labo de cette conversation et sa galerie",
  'status.usage': 'status',
  'status.title': 'État',
  'status.unbound': "Cette conversation n'est liée à aucun hôte de labo. Un administrateur peut exécuter **bind <plan de labo ou compte de labo>**.",
  'status.host': 'Hôte de labo',
  'status.kind': 'Type',
  'status.region': 'Région',
  'status.gallery': 'Galerie attachée',
  'status.noGallery': 'aucune',
  'status.images': 'Images',
  'status.imageCounts': '{enabled} activées, {disabled} désactivées',
  'status.role': 'Votre rôle',
  'status.boundBy': 'Liée',
  'status.boundAt': '{when}',
  'status.hostUnreachable': "L'hôte de labo n'a pas pu être lu : {reason}",
  'kind.labPlan': 'plan de labo',
  'kind.labAccount': 'compte de labo',

  'bind.summary': 'Lier cette conversation à un plan de labo ou un compte de labo',
  'bind.usage': "bind <nom ou ID ARM de l'hôte de labo>",
  'bind.missing': "Indiquez l'hôte de labo à lier : **bind <nom ou ID ARM de l'hôte de labo>**.",
  'bind.invalidId': "« {value} » n'est pas l'ID ARM d'un plan de labo ou d'un compte de labo. Format attendu : /subscriptions/<id>/resourceGroups/<groupe>/providers/Microsoft.LabServices/labPlans/<nom> (ou labAccounts/<nom>).",
  'bind.unknownHost': 'Aucun plan de labo ni compte de labo nommé « {value} » dans l’abonnement.',
  'bind.ambiguous': 'Plusieurs hôtes de labo s’appellent « {value} ». Utilisez plutôt l’ID ARM.',
  'bind.done': 'Cette conversation est maintenant liée à **{host}**.',
  'bind.unchanged': 'Cette conversation est déjà liée à **{host}**.',
  'bind.notAdminThere': 'Vous devez être administrateur de **{host}** pour le lier.',

  'unbind.summary': "Supprimer la liaison de cette conversation à l'hôte de labo",
  'unbind.usage': 'unbind',
  'unbind.done': "Cette conversation n'est plus liée à **{host}**.",
  'unbind.nothing': "Cette conversation n'est liée à aucun hôte de labo ; rien à faire.",

  'azure.notAuthorized': "Azure a refusé : le bot n'est pas autorisé à faire cela sur {target}.",
  'azure.notFound': 'Azure ne trouve pas {target}.',
  'azure.throttled': 'Azure limite les requêtes en ce moment. Réessayez dans une minute.',
  'azure.conflict': 'Azure signale un conflit sur {target} : quelqu’un d’autre le modifie peut-être. Réessayez dans un instant.',
  'azure.badRequest': 'Azure a rejeté la demande pour {target}.',
  'azure.unavailable': "Azure n'est pas joignable pour le moment. Réessayez plus tard.",
  'azure.operationFailed': "L'opération Azure sur {target} a échoué.",
};
