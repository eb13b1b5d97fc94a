/** The body every ARM (and Graph) error carries. */
export interface ArmErrorBody {
  error: { code: string; message: string; target?: string };
}

/** Thrown by handlers and state; the pipeline turns it into `{status, {error:{code,message}}}`. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  /** The answer's body: ARM's `{error}` here; a subclass may answer another shape. */
  toBody(): ArmErrorBody | object {
    return { error: { code: this.code, message: this.message, ...(this.target ? { target: this.target } : {}) } };
  }
}

/**
 * A Lab Services "not found": RFC 7807 `application/problem+json` `{type,title,status,traceId}` with no
 * `error` object, as the labplan-crud recording shows for a GET after delete.
 */
export class ProblemNotFoundError extends ArmError {
  constructor(readonly traceId: string) {
    super(404, 'NotFound', 'Not Found', undefined, { 'Content-Type': 'application/problem+json; charset=utf-8' });
  }

  override toBody(): object {
    return { type: 'https://tools.ietf.org/html/rfc7231#section-6.5.4', title: 'Not Found', status: 404, traceId: this.traceId };
  }
}

/** Error codes of the emulator's own validations (the real services' codes for these are unconfirmed). */
export const EMULATOR_ERROR_CODES = {
  missingGalleryOwnerRole: 'MissingGalleryOwnerRole',
  sharedGalleryNotFound: 'SharedGalleryNotFound',
  galleryAlreadyAttached: 'Conflict',
  noGalleryAttached: 'NoSharedGalleryAttached',
  imageNotInAttachedGallery: 'ImageNotInAttachedGallery',
  imageNotAvailableInRegion: 'ImageNotAvailableInRegion',
  imageNotEnabled: 'ImageNotEnabled',
} as const;

export function resourceNotFound(type: string, name: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `The Resource '${type}/${name}' was not found.`);
}

export function parentResourceNotFound(type: string, name: string): ArmError {
  return new ArmError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${type}/${name}' not found.`);
}

export function invalidParameter(message: string, target?: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, target);
}

export function invalidRequestContent(message: string): ArmError {
  return new ArmError(400, 'InvalidRequestContent', message);
}
