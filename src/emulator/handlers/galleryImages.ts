import { ArmError, invalidParameter } from '../armError';
import { armIds } from '../armIds';
import { objectAt, stringAt } from '../json';
import { json } from '../http/response';
import type { ImageDefinitionRecord, OsState, OsType } from '../state/records';
import { imageDefinitionView } from '../views/computeViews';
import { API_VERSIONS, bodyObject, requiredOneOf, type EmulatorRoute, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes, startWrite } from './crudRoutes';
import { GALLERY, galleryId } from './galleries';

export const DEFINITION = `${GALLERY}/images/{image}`;

export function definitionId(req: RoutedRequest, ctx: HandlerContext): string {
  return armIds.imageDefinition(galleryId(req, ctx), req.params.image ?? '');
}

/** Gallery image definitions; create is an Azure-AsyncOperation LRO, the OS type and state are fixed. */
export const galleryImageRoutes: EmulatorRoute[] = crudRoutes<ImageDefinitionRecord>({
  name: 'galleryImages',
  apiVersion: API_VERSIONS.compute,
  path: DEFINITION,
  view: imageDefinitionView,
  lists: { listByGallery: (req, ctx) => ctx.state.galleries.listDefinitions(ctx.state.galleries.requireGallery(galleryId(req, ctx)).id) },
  lroId: definitionId,
  get: (req, ctx) => ctx.state.galleries.requireDefinition(definitionId(req, ctx)),
  put: putDefinition,
  delete: (req, ctx) => ctx.state.galleries.deleteDefinition(definitionId(req, ctx)),
  deleteLro: 'compute',
});

function putDefinition(req: RoutedRequest, ctx: HandlerContext) {
  const { galleries } = ctx.state;
  const properties = objectAt(bodyObject(req), 'properties') ?? {};
  const osType = requiredOneOf<OsType>(stringAt(properties, 'osType'), ['Windows', 'Linux'], 'properties.osType');
  const osState = requiredOneOf<OsState>(stringAt(properties, 'osState'), ['Generalized', 'Specialized'], 'properties.osState');
  const id = definitionId(req, ctx);
  const existing = galleries.definition(id);
  const description = stringAt(properties, 'description');
  if (existing && (existing.osType !== osType || existing.osState !== osState)) {
    throw new ArmError(409, 'PropertyChangeNotAllowed', "Changing property 'osType' or 'osState' is not allowed.");
  }
  const definition =
    existing ??
    galleries.addDefinition({
      galleryId: galleryId(req, ctx),
      name: req.params.image ?? '',
      osType,
      osState,
      hyperVGeneration: stringAt(properties, 'hyperVGeneration')?.toUpperCase() === 'V1' ? 'V1' : 'V2',
      ...identifierOf(properties),
      ...(description !== undefined ? { description } : {}),
    });
  const headers = startWrite(req, ctx, definition, {
    style: 'compute',
    creating: !existing,
    apply: () => {
      if (description !== undefined) definition.description = description;
    },
  });
  return json(imageDefinitionView(definition), existing ? 200 : 201, headers);
}

function identifierOf(properties: Record<string, unknown>): { publisher: string; offer: string; sku: string } {
  const publisher = stringAt(properties, 'identifier', 'publisher');
  const offer = stringAt(properties, 'identifier', 'offer');
  const sku = stringAt(properties, 'identifier', 'sku');
  if (!publisher || !offer || !sku) throw invalidParameter('properties.identifier needs publisher, offer and sku.', 'properties.identifier');
  return { publisher, offer, sku };
}
