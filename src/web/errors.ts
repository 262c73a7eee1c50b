/** Typed errors the single error handler turns into pages. Services never throw HTTP errors. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  constructor(message = 'The page you are looking for does not exist or is no longer available.') {
    super(404, 'Page not found', message);
  }
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'You are not allowed to do that.') {
    super(403, 'Forbidden', message);
  }
}

export class CsrfError extends HttpError {
  override readonly name = 'CsrfError';
  constructor() {
    super(403, 'Form expired', 'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }
}

/** Too much waiting work (bcrypt, Markdown): refused at once rather than queued without end. */
export class BusyError extends HttpError {
  override readonly name = 'BusyError';
  constructor() {
    super(503, 'Busy', 'The site is very busy right now. Nothing was changed. Please try again in a minute.');
  }
}
