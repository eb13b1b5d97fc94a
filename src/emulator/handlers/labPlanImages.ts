import { objectAt, stringAtAnyCase } from '../json';
import { pageOf, type Page } from '../http/paging';
import { json } from '../http/response';
import { planImageView } from '../views/labServicesViews';
import { API_VERSIONS, bodyObject, rgProvider, type EmulatorRoute, type Handler } from './context';
import { parseEnabledState } from './hostImages';
import { planId } from './labPlans';
import { planImageFilter } from './planImageFilter';

/** The service's page of a plan's images (labplan-images-list.json), whatever the emulator's page size. */
export const PLAN_IMAGES_PAGE_SIZE = 200;

const IMAGE_PATH = `${rgProvider('Microsoft.LabServices')}/labPlans/{labPlan}/images/{image}`;
const route = (method: string, pattern: string, verb: string, handler: Handler): EmulatorRoute => ({
  method,
  pattern,
  operation: `images.${verb}`,
  apiVersion: API_VERSIONS.labPlans,
  handler,
});

/** A PUT or PATCH sets the enabled state only, synchronously: 200 with the whole image. */
const setState: Handler = (req, ctx) => {
  const plan = planId(req, ctx);
  const name = req.params.image ?? '';
  ctx.state.labPlans.planImage(plan, name);
  const state = parseEnabledState(stringAtAnyCase(objectAt(bodyObject(req), 'properties'), 'enabledState'), 'properties.enabledState');
  return json(planImageView(ctx.state.labPlans.setPlanImageEnabled(plan, name, state), 'patch'));
};

/**
 * Images of a lab plan as the service lists them: every Marketplace image of the catalogue and the attached
 * gallery's images, sorted by name, 200 a page with an absolute `:443` nextLink, `$filter` evaluated here.
 */
export const labPlanImageRoutes: EmulatorRoute[] = [
  route('GET', IMAGE_PATH.slice(0, IMAGE_PATH.lastIndexOf('/')), 'listByLabPlan', (req, ctx) => {
    const filter = req.query.get('$filter');
    const entries = ctx.state.labPlans.planImages(planId(req, ctx));
    const options = { explicitPort: true };
    // Views are built for the page only, unless a filter needs every image's JSON.
    const page =
      filter === undefined
        ? mapPage(pageOf(entries, req, ctx.facadeOrigin, PLAN_IMAGES_PAGE_SIZE, options), (e) => planImageView(e))
        : pageOf(entries.slice(0, entries.length).map((e) => planImageView(e)).filter(planImageFilter(filter)), req, ctx.facadeOrigin, PLAN_IMAGES_PAGE_SIZE, options);
    // The recorded page puts nextLink before value.
    return json(page.nextLink ? { nextLink: page.nextLink, value: page.value } : { value: page.value });
  }),
  route('GET', IMAGE_PATH, 'get', (req, ctx) => json(planImageView(ctx.state.labPlans.planImage(planId(req, ctx), req.params.image ?? ''), 'get'))),
  route('PUT', IMAGE_PATH, 'createOrUpdate', setState),
  route('PATCH', IMAGE_PATH, 'update', setState),
];

function mapPage<T, U>(page: Page<T>, f: (item: T) => U): Page<U> {
  return { ...page, value: page.value.map(f) };
}
